"""A browserless Streamlit client for load benchmarks: it speaks the app's own websocket
protocol (``/_stcore/stream``, the ``streamlit.proto`` BackMsg / ForwardMsg protobufs of
the installed Streamlit), the way the frontend bundle does, so a load test measures the
server and not thirty Chromium instances competing for the cores.

What a browser tab does, and this client too:

- ``GET /`` (the page; behind nginx this also sets the sticky routing cookie, which the
  websocket and every later request send back), ``/_stcore/health``, ``/_stcore/host-config``;
- opens the websocket with the ``streamlit`` subprotocol and same-origin headers;
- sends ``rerun_script`` (a ``ClientState``: query string, page script hash, the widget
  states that changed, context info) and reads ForwardMsgs until ``script_finished`` says
  the run ended (a run cut short by ``st.rerun`` or a newer request does not count);
- a rerun reports the radios the last run showed (the language switch), as the frontend
  reports every widget it shows;
- widgets are found by their element ids (``$$ID-<hash>-<key>`` for widgets with a key),
  a form is submitted with its values and the submit button's trigger in one message, as the
  frontend does; a data editor's value is its JSON edit state (``edited_rows`` …);
- ``st.html`` scripts are not run, but ``fetch_posts`` finds the POSTs they would make
  (the sign-in cookie handoff) so the caller can make them.
"""

from __future__ import annotations

import asyncio
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ContextInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR)
_FETCH = re.compile(r"fetch\((\"[^\"]*\"), \{.*?body: (\"(?:[^\"\\]|\\.)*\")\}\)", re.S)


class ProtocolError(Exception):
    """The server closed the stream, or a run did not go as the client expected."""


@dataclass
class Run:
    """What one finished script run drew: elements and blocks by delta path."""

    elements: dict[tuple, object] = field(default_factory=dict)
    blocks: dict[tuple, object] = field(default_factory=dict)
    status: int | None = None

    def _protos(self):
        for element in self.elements.values():
            kind = element.WhichOneof("type")
            if kind:
                yield kind, getattr(element, kind)
        for block in self.blocks.values():
            kind = block.WhichOneof("type")
            if kind:
                yield kind, getattr(block, kind)

    def widget(self, key: str, kind: str | None = None):
        """The widget (or keyed block) with user key ``key``; None when not drawn."""
        for found, proto in self._protos():
            if (kind is None or found == kind) and getattr(proto, "id", "").endswith(f"-{key}"):
                return proto
        return None

    def widget_prefix(self, prefix: str, kind: str | None = None):
        """The first widget whose user key starts with ``prefix``."""
        for found, proto in self._protos():
            ident = getattr(proto, "id", "")
            if (kind is None or found == kind) and ident.startswith("$$ID-"):
                if ident.split("-", 2)[-1].startswith(prefix):
                    return proto
        return None

    def submit_button(self, form_id: str):
        """The (first) submit button of form ``form_id``."""
        for found, proto in self._protos():
            if found == "button" and proto.is_form_submitter and proto.form_id == form_id:
                return proto
        return None

    def standing_states(self) -> list[WidgetState]:
        """What the frontend reports for the radios it shows, touched or not (the option it
        displays): the language switch of the app's shell keeps its value across a page
        change only because the browser sends it with the request."""
        states = []
        for radio in self.of_kind("radio"):
            if radio.form_id:
                continue
            shown = radio.raw_value if radio.set_value else radio.options[radio.default]
            states.append(string_state(radio.id, shown))
        return states

    def of_kind(self, kind: str) -> list:
        return [proto for found, proto in self._protos() if found == kind]

    def texts(self) -> list[str]:
        """Markdown, alert and heading bodies, in no particular order."""
        texts = []
        for found, proto in self._protos():
            if found in ("markdown", "alert", "heading"):
                texts.append(proto.body)
        return texts

    def fetch_posts(self) -> list[tuple[str, str]]:
        """(url, body) of the ``fetch(…)`` calls in the run's ``st.html`` scripts."""
        posts = []
        for html in self.of_kind("html"):
            for url, body in _FETCH.findall(html.body):
                posts.append((json.loads(url), json.loads(body)))
        return posts


def string_state(widget_id: str, value: str) -> WidgetState:
    return WidgetState(id=widget_id, string_value=value)


def trigger_state(widget_id: str) -> WidgetState:
    return WidgetState(id=widget_id, trigger_value=True)


def editor_state(widget_id: str, edited_rows: dict[int, dict]) -> WidgetState:
    """A data editor's value as the frontend sends it (JSON in ``string_value``)."""
    value = {"edited_rows": {str(k): v for k, v in edited_rows.items()}, "added_rows": [],
             "deleted_rows": []}  # fmt: skip
    return WidgetState(id=widget_id, string_value=json.dumps(value))


def arrow_frame(dataframe_proto):
    """The pandas frame a ``dataframe`` element (table or data editor) carries."""
    import pyarrow as pa

    data = dataframe_proto.arrow_data.data
    if not data and dataframe_proto.HasField("lazy_data"):
        data = dataframe_proto.lazy_data.initial_chunk.data
    return pa.ipc.open_stream(data).read_pandas()


class StreamlitSession:
    """One browser tab's session over the websocket protocol."""

    def __init__(self, base_url: str, *, timezone: str = "UTC", locale: str = "en-US") -> None:
        self.base_url = base_url.rstrip("/")
        self.cookies: dict[str, str] = {}
        self.timezone, self.locale = timezone, locale
        self.query_string = ""
        self.page_script_hash = ""
        self.pages: dict[str, str] = {}  # url_pathname → page_script_hash
        self._ws = None
        self.last_run: Run | None = None

    # --- HTTP --------------------------------------------------------------------------------

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _request(self, path: str, data: bytes | None = None, headers: dict | None = None) -> int:
        request = urllib.request.Request(
            self.base_url + path, data=data, method="POST" if data else "GET"
        )
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        if self.cookies:
            request.add_header("Cookie", self._cookie_header())
        try:
            with urllib.request.urlopen(request, timeout=300) as response:
                response.read()
                status, set_cookies = response.status, response.headers.get_all("Set-Cookie")
        except urllib.error.HTTPError as error:
            status, set_cookies = error.code, error.headers.get_all("Set-Cookie")
        for raw in set_cookies or []:
            for name, morsel in SimpleCookie(raw).items():
                self.cookies[name] = morsel.value
        return status

    async def get(self, path: str) -> int:
        return await asyncio.to_thread(self._request, path)

    async def post_json(self, path: str, body: str, headers: dict | None = None) -> int:
        heads = {"Content-Type": "application/json", "Origin": self.base_url, **(headers or {})}
        return await asyncio.to_thread(self._request, path, body.encode(), heads)

    # --- websocket ---------------------------------------------------------------------------

    async def connect(self) -> None:
        """Load the page as a browser does, then open the stream."""
        for path in ("/", "/_stcore/health", "/_stcore/host-config"):
            status = await self.get(path)
            if status != 200:
                raise ProtocolError(f"GET {path}: HTTP {status}")
        netloc = urlsplit(self.base_url).netloc
        headers = {"Origin": self.base_url}
        if self.cookies:
            headers["Cookie"] = self._cookie_header()
        xsrf = self.cookies.get("_streamlit_xsrf", "")
        protocols = ["streamlit", xsrf] if xsrf else ["streamlit"]
        self._ws = await websockets.connect(
            f"ws://{netloc}/_stcore/stream",
            subprotocols=protocols,
            additional_headers=headers,
            max_size=None,
            open_timeout=300,
            ping_interval=None,
        )

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()

    async def rerun(self, *, widgets: list[WidgetState] = (), page: str | None = None,
                    query_string: str | None = None, timeout: float = 300) -> Run:  # fmt: skip
        """Ask for a script run (on ``page``, a url pathname, or the current page) and
        return what the finished run drew. Like the frontend, a page change drops the query
        string unless one is given."""
        page_hash = self.page_script_hash
        if page is not None:
            page_hash = self.pages[page]
            if page_hash != self.page_script_hash and query_string is None:
                query_string = ""
        if query_string is not None:
            self.query_string = query_string
        state = BackMsg()
        rerun = state.rerun_script
        rerun.query_string = self.query_string
        rerun.page_script_hash = page_hash
        given = {w.id for w in widgets}
        standing = self.last_run.standing_states() if self.last_run else []
        rerun.widget_states.widgets.extend([w for w in standing if w.id not in given])
        rerun.widget_states.widgets.extend(widgets)
        rerun.context_info.CopyFrom(ContextInfo(
            timezone=self.timezone, timezone_offset=0, locale=self.locale,
            url=f"{self.base_url}/{page or ''}", is_embedded=False, color_scheme="light",
        ))  # fmt: skip
        await self._ws.send(state.SerializeToString())
        self.last_run = await asyncio.wait_for(self._until_finished(), timeout)
        return self.last_run

    async def _until_finished(self) -> Run:
        run = Run()
        while True:
            try:
                data = await self._ws.recv()
            except websockets.ConnectionClosed as closed:
                raise ProtocolError(f"stream closed: {closed}") from closed
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                run = Run()  # every run starts with one; what came before is replaced
                self.page_script_hash = msg.new_session.page_script_hash
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
                self.page_script_hash = msg.navigation.page_script_hash or self.page_script_hash
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "delta":
                path = tuple(msg.metadata.delta_path)
                delta = msg.delta
                which = delta.WhichOneof("type")
                if which == "new_element":
                    run.elements[path] = delta.new_element
                elif which == "add_block":
                    run.blocks[path] = delta.add_block
            elif kind == "script_finished":
                if msg.script_finished in FINISHED:
                    run.status = msg.script_finished
                    return run
            elif kind == "page_not_found":
                raise ProtocolError("page not found")
