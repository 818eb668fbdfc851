"""Reads and writes model weights as .safetensors files with the standard library and torch alone.

The format (https://huggingface.co/docs/safetensors): an 8-byte little-endian header length, a JSON
header naming each tensor's dtype, shape and byte range, then the raw little-endian data. ResLab's
exporter writes the weights of a TF.js model this way, already in PyTorch's layout (NCHW kernels,
[out, in] linear weights, BN running statistics), under the exported module's state_dict names.
"""

import json
import struct

import torch

DTYPES = {
    "F32": torch.float32,
    "F64": torch.float64,
    "F16": torch.float16,
    "I64": torch.int64,
    "I32": torch.int32,
}
NAMES = {dtype: name for name, dtype in DTYPES.items()}


def read_safetensors(path):
    """Returns ({name: tensor}, metadata) from a .safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"invalid weights file {path}: {len(data)} bytes (expected a safetensors header)")
    (length,) = struct.unpack("<Q", data[:8])
    try:
        header = json.loads(data[8 : 8 + length])
    except ValueError as error:
        raise ValueError(f"invalid weights file {path}: its header is not JSON ({error})") from None
    metadata = header.pop("__metadata__", {}) or {}
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        dtype = DTYPES.get(entry["dtype"])
        if dtype is None:
            allowed = ", ".join(DTYPES)
            raise ValueError(f"invalid weights file {path}: {name} is {entry['dtype']} (expected one of {allowed})")
        raw = bytearray(data[8 + length + begin : 8 + length + end])
        if raw:
            tensors[name] = torch.frombuffer(raw, dtype=dtype).reshape(entry["shape"])
        else:  # an empty tensor: frombuffer refuses an empty buffer
            tensors[name] = torch.zeros(entry["shape"], dtype=dtype)
    return tensors, metadata


def first_names(names):
    """Returns up to three names, and an ellipsis when there are more."""
    return ", ".join(names[:3]) + (" …" if len(names) > 3 else "")


def load_weights(model, path):
    """Loads a .safetensors file into the model, refusing one made for another architecture."""
    tensors, metadata = read_safetensors(path)
    expected = model.state_dict()
    missing = [name for name in expected if name not in tensors]
    unexpected = [name for name in tensors if name not in expected]
    wrong = [
        f"{name} is {list(tensors[name].shape)}, the model's {list(t.shape)}"
        for name, t in expected.items()
        if name in tensors and tensors[name].shape != t.shape
    ]
    if missing or unexpected or wrong:
        made_for = f" (made for {metadata['model']})" if "model" in metadata else ""
        problems = [f"missing {first_names(missing)}"] if missing else []
        problems += [f"unknown {first_names(unexpected)}"] if unexpected else []
        problems += wrong[:3]
        raise ValueError(
            f"invalid weights file {path}{made_for}: not the weights of {type(model).__name__}: "
            + "; ".join(problems)
        )
    model.load_state_dict({name: tensors[name] for name in expected})
    return metadata


def save_weights(model, path, metadata=None):
    """Writes the model's state_dict as a .safetensors file."""
    state = {name: t.detach().cpu().contiguous() for name, t in model.state_dict().items()}
    header, offset, chunks = {"__metadata__": dict(metadata or {})}, 0, []
    for name, t in state.items():
        raw = t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        span = [offset, offset + len(raw)]
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": span}
        offset += len(raw)
        chunks.append(raw)
    text = json.dumps(header).encode()
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in chunks:
            f.write(raw)
