"""Training the toxicity model from labelled data (needs the optional `train` extra)."""
