"""One module per lesson tool: the widgets a learner uses in a lesson or a self-check."""
