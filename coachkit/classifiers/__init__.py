"""The rules that judge what a learner wrote or chose, pure and widget-free, with their measurements."""
