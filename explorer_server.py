"""Server entry for a hosted demo: `streamlit run explorer_server.py` (or `uvicorn explorer_server:app`).

The same app as `streamlit run explorer_app.py`, served through Streamlit's `st.App` so that the compute
workers start and warm up with the server (its lifespan), before the first visitor arrives.
"""

import asyncio
import contextlib

import streamlit as st

from explorer.app import compute


@contextlib.asynccontextmanager
async def lifespan(_app):
    # Start the workers (spawned processes: torch imported, one tiny run each) without holding up the
    # server's start: the health check answers while they warm, and early runs wait in the queue.
    queue = compute.start()
    warming = asyncio.get_running_loop().run_in_executor(None, compute.start, True) if queue else None
    yield {"compute": queue}
    if warming is not None:
        warming.cancel()
    compute.stop()


app = st.App("explorer_app.py", lifespan=lifespan)
