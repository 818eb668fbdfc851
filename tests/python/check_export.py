"""Loads exported PyTorch packages and reports what the TF.js side compares (tests/unit/export).

usage: check_export.py CASE_DIR...

Each CASE_DIR holds an exported package (model.py, blocks.py, weights.py, weights.safetensors) and
case.safetensors written by the test: the input x [batch, c, h, w], the labels y and the learning rate
of one plain-SGD step. Prints one JSON line per case: parameter and buffer counts, the eval-mode
output, and the train-mode loss before and after one step.
"""

import json
import sys

import torch
import torch.nn.functional as F


def check(case_dir):
    for name in ("model", "blocks", "weights"):
        sys.modules.pop(name, None)
    sys.path.insert(0, case_dir)
    try:
        import model
        import weights

        tensors, _ = weights.read_safetensors(f"{case_dir}/case.safetensors")
        net = model.build()
        weights.load_weights(net, f"{case_dir}/weights.safetensors")
        params = sum(p.numel() for p in net.parameters())
        buffers = sum(b.numel() for n, b in net.named_buffers() if not n.endswith("num_batches_tracked"))
        x, y = tensors["x"], tensors["y"].long()
        net.eval()
        with torch.no_grad():
            output = net(x)
        net.train()
        sgd = torch.optim.SGD(net.parameters(), lr=float(tensors["lr"]))
        loss0 = F.cross_entropy(net(x), y)
        loss0.backward()
        sgd.step()
        with torch.no_grad():
            loss1 = F.cross_entropy(net(x), y)
        return {
            "case": case_dir,
            "params": params,
            "buffers": buffers,
            "output": output.flatten().tolist(),
            "loss0": loss0.item(),
            "loss1": loss1.item(),
        }
    finally:
        sys.path.remove(case_dir)


if __name__ == "__main__":
    torch.manual_seed(0)
    for case_dir in sys.argv[1:]:
        try:
            print(json.dumps(check(case_dir)), flush=True)
        except Exception as error:  # reported per case, so one broken export names itself
            print(json.dumps({"case": case_dir, "error": f"{type(error).__name__}: {error}"}), flush=True)
