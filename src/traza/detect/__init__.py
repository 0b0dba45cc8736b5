"""Detection: reconciliation, the rule catalogue, engines, scores and explanations."""
