"""HTTP layer: FastAPI app factory, request/response models and routes (no business rules)."""
