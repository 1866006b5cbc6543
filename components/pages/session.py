"""What every session shares, made once per server process: the store's engine and the language model."""

from __future__ import annotations

import streamlit as st

from ..extract import Extractor
from ..store import Store


@st.cache_resource(show_spinner=False)
def shared_store() -> Store:
    """One engine and connection pool for every session."""
    return Store()


@st.cache_resource(show_spinner="Loading the language model…")
def get_extractor() -> Extractor:
    return Extractor()
