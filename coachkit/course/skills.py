"""The eight coaching skills a learner rates before and after the workshop, one per ICF core competency."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Skill:
    key: str
    title: str
    statement: str  # what a 5 looks like, in a manager's words
    competency: str  # the ICF 2019 core competency it is built on


# One skill per ICF core competency (2019), put in a manager's words; the ratings are the learner's own view.
SKILLS = (
    Skill(
        "ethics",
        "Acting ethically",
        # a manager cannot promise full confidentiality (they keep pay, rating and promotion), so the top
        # rating is saying its limits at the start, not keeping everything in confidence
        "I say at the start what I can keep private and what I would have to act on, I am clear that I am "
        "also their manager, and I say so when a topic needs someone else (HR, a doctor, a counsellor).",
        "1. Demonstrates Ethical Practice",
    ),
    Skill(
        "mindset",
        "A coaching mindset",
        "I stay curious and open, and I treat the other person as the expert on their own work and choices.",
        "2. Embodies a Coaching Mindset",
    ),
    Skill(
        "agreements",
        "Agreeing what the talk is for",
        "At the start I check what the person wants from the conversation; at the end, what they will do.",
        "3. Establishes and Maintains Agreements",
    ),
    Skill(
        "trust",
        "Building trust and safety",
        "People bring me problems and mistakes early, because they know it is safe to do so.",
        "4. Cultivates Trust and Safety",
    ),
    Skill(
        "presence",
        "Being present",
        "In a conversation my attention stays with the person, not with my phone, my next meeting or "
        "my own fix.",
        "5. Maintains Presence",
    ),
    Skill(
        "listening",
        "Listening actively",
        "I listen to understand, and I play back what I heard before I add anything of my own.",
        "6. Listens Actively",
    ),
    Skill(
        "awareness",
        "Questions that make people think",
        "I ask open questions, leave silence, and let people find their own answers before I offer mine.",
        "7. Evokes Awareness",
    ),
    Skill(
        "growth",
        "Helping people grow and act",
        "I help people turn what they realise into a next step they choose, and I follow up on it.",
        "8. Facilitates Client Growth",
    ),
)
