"""A visitor as the browser is to the server: Streamlit's websocket protocol, no browser.

`streamlit.proto` BackMsg/ForwardMsg over `websockets`, and uploads by the same HTTP PUT the
browser uses. Shared by tests/test_memory.py and the benchmarks (bench/soak.py,
bench/memprobe.py), so that the cores stay with the server.
"""

from __future__ import annotations

import asyncio
import time
import uuid

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

RUN_TIMEOUT = 600.0


class Session:
    """One visitor, as the browser is to the server: a websocket of protobuf messages."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.ws = None
        self.session_id = ""
        self.widgets: dict[str, str] = {}  # element type -> widget id (the last seen)
        self.texts: list[str] = []

    async def __aenter__(self) -> Session:
        ws_url = self.url.replace("http://", "ws://") + "/_stcore/stream"
        self.ws = await websockets.connect(ws_url, max_size=None, subprotocols=["streamlit"])
        return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

    async def send(self, msg: BackMsg) -> None:
        await self.ws.send(msg.SerializeToString())

    async def receive(self) -> ForwardMsg:
        msg = ForwardMsg()
        msg.ParseFromString(await asyncio.wait_for(self.ws.recv(), RUN_TIMEOUT))
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.session_id = msg.new_session.initialize.session_id
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            ty = element.WhichOneof("type")
            inner = getattr(element, ty)
            if hasattr(inner, "id") and inner.id:
                self.widgets[ty] = inner.id
            for field in ("body", "label"):
                if hasattr(inner, field) and isinstance(getattr(inner, field), str):
                    self.texts.append(getattr(inner, field))
        return msg

    async def run(self, page: str = "", widget_states=None) -> float:
        """One script run (a page visit or a widget change), timed until it has finished;
        a run the script restarts itself (st.rerun) is followed to its end."""
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_name = page
        if widget_states:
            msg.rerun_script.widget_states.widgets.extend(widget_states)
        self.texts = []
        t0 = time.perf_counter()
        await self.send(msg)
        while True:
            fwd = await self.receive()
            finished = fwd.WhichOneof("type") == "script_finished"
            if finished and fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return time.perf_counter() - t0

    async def upload(self, name: str, data: bytes, page: str = "data") -> float:
        """Upload as the browser does: ask for a URL, PUT the file, rerun with the widget's
        new value. Returns the time from the rerun to the end of the run that shows it."""
        req = BackMsg()
        req.file_urls_request.request_id = uuid.uuid4().hex
        req.file_urls_request.file_names.append(name)
        req.file_urls_request.session_id = self.session_id
        await self.send(req)
        while True:
            fwd = await self.receive()
            if fwd.WhichOneof("type") == "file_urls_response":
                urls = fwd.file_urls_response.file_urls[0]
                break
        await asyncio.to_thread(put_file, self.url, urls.upload_url, name, data)
        state = WidgetState(id=self.widgets["file_uploader"])
        info = state.file_uploader_state_value.uploaded_file_info.add()
        info.name, info.size, info.file_id = name, len(data), urls.file_id
        info.file_urls.CopyFrom(urls)
        return await self.run(page, [state])


def put_file(base: str, upload_url: str, name: str, data: bytes) -> None:
    import requests

    with requests.Session() as http:
        http.get(base + "/_stcore/health", timeout=60)  # sets the XSRF cookie
        token = http.cookies.get("_streamlit_xsrf")
        target = upload_url if upload_url.startswith("http") else base + upload_url
        r = http.put(
            target,
            files={"file": (name, data, "text/csv")},
            headers={"X-Xsrftoken": token} if token else {},
            timeout=RUN_TIMEOUT,
        )
        r.raise_for_status()
