"""Cached reads. Results are cached per function, arguments, acting user and the database's
data version, so a write in any app process shows up on the next run everywhere, and a
user never sees a result computed for someone with other rights."""
from __future__ import annotations

import importlib
from typing import Any, Callable

import streamlit as st

from db.reads.common import data_version


def cached(read: Callable, actor, *args: Any, **kwargs: Any):
    """Call `read(actor, *args, **kwargs)` through the cache."""
    return _run(f"{read.__module__}:{read.__qualname__}", data_version(), actor, args, kwargs)


@st.cache_data(ttl=3600, max_entries=500, show_spinner=False)
def _run(name: str, version: int, actor, args: tuple, kwargs: dict):
    # No leading underscore on `version`: st.cache_data leaves such parameters out of the key.
    module, _sep, qualname = name.partition(":")
    target: Any = importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part)
    return target(actor, *args, **kwargs)
