"""Small text helpers: temperature sampling and character-by-character generation.

A language model outputs a probability for every possible next character. Always
taking the most likely one produces the same, often repetitive, text; drawing at
random from the distribution gives variety. The *temperature* ``T`` interpolates:
probabilities are reshaped as ``p ** (1 / T)`` (then renormalised), so ``T < 1``
sharpens them towards the most likely character and ``T > 1`` flattens them towards
uniform noise.
"""
from __future__ import annotations

import numpy as np


def apply_temperature(probabilities, temperature: float = 1.0) -> np.ndarray:
    """Return ``probabilities`` reshaped by ``temperature`` (``p ** (1/T)``, renormalised)."""
    if temperature <= 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    p = np.asarray(probabilities, dtype=np.float64).ravel()
    if p.size == 0 or np.any(p < 0) or not np.isfinite(p).all() or p.sum() <= 0:
        raise ValueError("probabilities must be finite, non-negative and not all zero")
    logits = np.log(np.clip(p / p.sum(), 1e-300, None)) / temperature
    logits -= logits.max()
    scaled = np.exp(logits)
    return scaled / scaled.sum()


def sample_with_temperature(probabilities, temperature: float = 1.0, rng=None) -> int:
    """Draw one index from ``probabilities`` after reshaping them by ``temperature``."""
    rng = np.random.default_rng() if rng is None else rng
    p = apply_temperature(probabilities, temperature)
    return int(rng.choice(len(p), p=p))


def generate_chars(model, seed: str, char_to_index: dict, window: int, *,
                   temperature: float = 1.0, max_len: int = 20, stop: str = "\n",
                   rng=None) -> str:
    """Extend ``seed`` one character at a time with a next-character ``model``.

    The model reads the last ``window`` character indices (left-padded with 0, which
    must be the padding index) and returns a probability for each index. Generation
    stops at ``stop`` or after ``max_len`` new characters; the text without ``stop``
    is returned.
    """
    index_to_char = {i: c for c, i in char_to_index.items()}
    unknown = sorted(set(seed) - set(char_to_index))
    if unknown:
        raise ValueError(f"the seed uses characters the model does not know: {unknown}")
    rng = np.random.default_rng() if rng is None else rng
    text = seed
    for _ in range(max_len):
        ids = [char_to_index[c] for c in text[-window:]]
        ids = [0] * (window - len(ids)) + ids
        probs = np.array(model(np.array([ids]), training=False), dtype=np.float64)[0]
        probs[0] = 0.0  # never emit padding
        nxt = index_to_char[sample_with_temperature(probs, temperature, rng)]
        if nxt == stop:
            break
        text += nxt
    return text
