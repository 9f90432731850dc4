"""The LLM experiment: tokens/s, time to first token and load time by engine, device, placement."""
