"""The model file: a JSON header and raw little-endian arrays, written byte for byte the same.

No pickle (a model file is data, and loading one must not run code) and no zip (which stamps
the time). The header names each array's dtype and shape in the order they follow it.
"""

from __future__ import annotations

import json
import mmap
import struct
from dataclasses import dataclass
from typing import Any

import numpy as np

MAGIC = b"MODTOX1\n"
_ALIGN = 8


class ArtefactError(ValueError):
    """The bytes are not a model file this code can read."""


@dataclass(frozen=True, slots=True)
class Artefact:
    """A model file's header and arrays (views into the file's bytes, read-only)."""

    header: dict[str, Any]
    arrays: dict[str, np.ndarray[Any, Any]]


def dumps(header: dict[str, Any], arrays: dict[str, np.ndarray[Any, Any]]) -> bytes:
    """Serialise a header and named arrays; the same input always gives the same bytes."""
    layout = [
        {"name": name, "dtype": array.dtype.newbyteorder("<").str, "shape": list(array.shape)}
        for name, array in arrays.items()
    ]
    head = json.dumps({**header, "arrays": layout}, sort_keys=True, separators=(",", ":"))
    out = bytearray(MAGIC + struct.pack("<I", len(head.encode())) + head.encode())
    for array in arrays.values():
        out += b"\0" * (-len(out) % _ALIGN)
        out += np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<")).tobytes()
    return bytes(out)


def loads(data: bytes | mmap.mmap) -> Artefact:
    """Read a model file's bytes (raises ArtefactError when they are not one)."""
    if data[: len(MAGIC)] != MAGIC or len(data) < len(MAGIC) + 4:
        raise ArtefactError("not a toxicity model file")
    (size,) = struct.unpack_from("<I", data, len(MAGIC))
    start = len(MAGIC) + 4
    try:
        header = json.loads(data[start : start + size])
        layout = header.pop("arrays")
    except (ValueError, KeyError) as exc:
        raise ArtefactError(f"unreadable model header: {exc}") from exc
    pos = start + size
    arrays: dict[str, np.ndarray[Any, Any]] = {}
    for item in layout:
        pos += -pos % _ALIGN
        dtype = np.dtype(item["dtype"])
        count = int(np.prod(item["shape"], dtype=np.int64))
        if pos + count * dtype.itemsize > len(data):
            raise ArtefactError(f"model file cut short in array {item['name']!r}")
        array = np.frombuffer(data, dtype=dtype, count=count, offset=pos)
        arrays[item["name"]] = array.reshape(item["shape"])
        pos += count * dtype.itemsize
    return Artefact(header, arrays)
