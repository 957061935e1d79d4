import numpy as np

def tag(
    weights: np.ndarray,
    rows: np.ndarray,
    ncols: int,
    bounds: np.ndarray,
    trans: np.ndarray,
    nlabels: int,
    outside: int,
    tags: np.ndarray,
    probs: np.ndarray,
) -> None: ...
