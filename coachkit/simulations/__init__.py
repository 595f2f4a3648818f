"""Simple, documented models behind the lessons' simulations: illustrations of an idea, not forecasts."""
