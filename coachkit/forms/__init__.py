"""The building blocks of the lesson tools: light widgets, text input rules, ratings, sliders, charts."""
