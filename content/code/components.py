"""Multi-head attention in PyTorch, step by step, as the chapter "Components" shows it.

Each step sits between "# step: NAME" and "# end step: NAME", the names of the engine's shape
trace; the chapter shows these lines beside the engine's Java lines of the same name.
ComponentsPyTorchTest runs this file with Debian's /usr/bin/python3 and python3-torch and
checks every step against the engine's trace for the same inputs:

    /usr/bin/python3 content/code/components.py < cases.json

reads a JSON list of cases, each {"x", "xKv", "weights": {"wq", ..., "bo"}, "heads",
"causal": "none" | "top-left" | "bottom-right", "keyPadding": [B][S] or null}, and prints one
JSON list with every step's tensor per case, in float64. The weights follow the chapter,
Q = X W^Q + b^Q with W^Q of shape [d_model, h d_k] (torch.nn.Linear stores its transpose).
"""

import json
import math
import sys

import torch


def multi_head_attention(x, x_kv, w, heads, causal="none", key_padding=None):
    """x [B, L, d_model], x_kv [B, S, d_model], key_padding [B, S] (True = padding) or None."""
    B, L, _ = x.shape
    S = x_kv.shape[1]
    d_k = w["wq"].shape[1] // heads

    # step: project
    q = x @ w["wq"] + w["bq"]  # [B, L, h d_k]
    k = x_kv @ w["wk"] + w["bk"]  # [B, S, h d_k]
    v = x_kv @ w["wv"] + w["bv"]
    # end step: project

    # step: splitHeads
    def split(t):  # [B, n, h d_k] -> [B, n, h, d_k] -> [B, h, n, d_k]
        return t.view(B, -1, heads, d_k).transpose(1, 2)

    q_h, k_h, v_h = split(q), split(k), split(v)
    # end step: splitHeads

    # step: scores
    scores = q_h @ k_h.transpose(-2, -1)  # [B, h, L, S]
    # end step: scores

    # step: scaled
    scaled = scores / math.sqrt(d_k)
    # end step: scaled

    # step: masked
    # True where query i may not see key j, [B, 1, L, S].
    blocked = torch.zeros(B, 1, L, S, dtype=torch.bool)
    if causal != "none":
        # Top-left blocks key j > i; bottom-right j > i + S - L.
        offset = 1 if causal == "top-left" else 1 + S - L
        causal_mask = torch.ones(L, S, dtype=torch.bool).triu(offset)
        blocked = blocked | causal_mask
    if key_padding is not None:
        # [B, S] -> [B, 1, 1, S]: whole columns.
        blocked = blocked | key_padding[:, None, None, :]
    # Broadcast over the heads.
    masked = scaled.masked_fill(blocked, float("-inf"))
    # end step: masked

    # step: attention
    attention = torch.softmax(masked, dim=-1)  # [B, h, L, S]
    # A row that sees no key is 0/0 = NaN in PyTorch;
    # the engine gives it zero weights.
    attention = attention.nan_to_num(0.0)
    # end step: attention

    # step: headOutputs
    head_outputs = attention @ v_h  # [B, h, L, d_k]
    # end step: headOutputs

    # step: concat
    # [B, h, L, d_k] -> [B, L, h, d_k] -> [B, L, h d_k]
    concat = head_outputs.transpose(1, 2).reshape(B, L, heads * d_k)
    # end step: concat

    # step: output
    y = concat @ w["wo"] + w["bo"]  # [B, L, d_model]
    # end step: output

    return {"q": q, "k": k, "v": v, "splitHeads": q_h, "scores": scores, "scaled": scaled,
            "masked": masked, "attention": attention, "headOutputs": head_outputs,
            "concat": concat, "output": y}


def run(case):
    def tensor(values):
        return torch.tensor(values, dtype=torch.float64)

    padding = case.get("keyPadding")
    steps = multi_head_attention(
        tensor(case["x"]), tensor(case["xKv"]),
        {name: tensor(values) for name, values in case["weights"].items()},
        case["heads"], case.get("causal", "none"),
        None if padding is None else torch.tensor(padding, dtype=torch.bool))
    return {name: t.tolist() for name, t in steps.items()}


if __name__ == "__main__":
    cases = json.load(sys.stdin)
    json.dump([run(case) for case in cases], sys.stdout)
