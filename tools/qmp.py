"""tools/qmp.py — a small client for QEMU's machine protocol (QMP).

Used by ./fomos (screenshots, quitting) and by the end-to-end tests (input
events, screenshots). QMP is JSON objects, one per line, over a Unix socket:
QEMU greets, the client enables commands with `qmp_capabilities`, then each
command gets exactly one answer carrying the command's "id". Events
({"event": ...}) may arrive between them at any time; they are queued in
`QMP.events` rather than dropped, so a caller can still look for SHUTDOWN or
RESET afterwards.

Everything here blocks with a timeout; nothing spawns threads. Python standard
library only.

Also a command line tool:  python3 tools/qmp.py SOCKET COMMAND ['{"arg": 1}']
"""

import json
import os
import select
import socket
import sys
import time


class QMPError(Exception):
    """QEMU refused a command, did not answer in time, or went away."""


class QMPClosed(QMPError):
    """The connection ended (QEMU quit)."""


class QMP:
    def __init__(self, path, timeout=10.0):
        """Connect to the QMP socket at `path`, waiting up to `timeout`
        seconds for QEMU to create it, and negotiate capabilities."""
        self.timeout = timeout
        self.events = []
        self.closed = False
        self._buf = b""
        self._next_id = 0
        self.sock = _connect(path, timeout)
        greeting = self._read(timeout)
        if greeting is None or "QMP" not in greeting:
            raise QMPError(f"{path}: no QMP greeting")
        self.execute("qmp_capabilities")

    def close(self):
        self.sock.close()
        self.closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _read(self, timeout):
        """Return the next message, or None when `timeout` passes first."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.sock], [], [], left)[0]:
                return None
            try:
                chunk = self.sock.recv(65536)
            except OSError:  # e.g. reset: QEMU exited with data unread
                chunk = b""
            if not chunk:
                self.closed = True
                raise QMPClosed("QMP connection closed")
            self._buf += chunk
        line, _, self._buf = self._buf.partition(b"\n")
        if not line.strip():
            return self._read(max(0.0, deadline - time.monotonic()))
        return json.loads(line)

    def execute(self, command, arguments=None, timeout=None):
        """Run one command and return its "return" value; QMPError if QEMU
        answers with an error or not within `timeout` seconds."""
        self._next_id += 1
        msg = {"execute": command, "id": self._next_id}
        if arguments:
            msg["arguments"] = arguments
        try:
            self.sock.sendall(json.dumps(msg).encode() + b"\n")
        except OSError as e:
            self.closed = True
            raise QMPClosed(f"{command}: {e}") from None
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            reply = self._read(max(0.0, deadline - time.monotonic()))
            if reply is None:
                raise QMPError(f"{command}: no answer from QEMU")
            if "event" in reply:
                self.events.append(reply)
            elif reply.get("id") == self._next_id:
                if "error" in reply:
                    err = reply["error"]
                    raise QMPError(f"{command}: {err.get('desc', err)}")
                return reply.get("return")

    def pump(self, timeout=0.0):
        """Collect events for up to `timeout` seconds; returns the new ones.
        A closed connection ends the wait early (see `closed`)."""
        new = []
        deadline = time.monotonic() + timeout
        try:
            while True:
                msg = self._read(max(0.0, deadline - time.monotonic()))
                if msg is None:
                    break
                if "event" in msg:
                    new.append(msg)
        except QMPClosed:
            pass
        self.events.extend(new)
        return new

    def wait_event(self, name, timeout=None):
        """Return (and unqueue) the first event called `name`, waiting up
        to `timeout` seconds for it; None if it does not come."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            for i, ev in enumerate(self.events):
                if ev["event"] == name:
                    return self.events.pop(i)
            left = deadline - time.monotonic()
            if left <= 0 or self.closed:
                return None
            self.pump(min(left, 0.1))

    def quit(self):
        """Ask QEMU to exit; tolerates QEMU closing the socket first."""
        try:
            self.execute("quit")
        except QMPClosed:
            pass

    # -- screen ------------------------------------------------------------

    def screendump(self, path, fmt=None):
        """Save the screen to `path`: PNG if fmt (or the name's ending) says
        png, else PPM. QEMU writes the file itself, so `path` is made
        absolute (QEMU's working directory may differ)."""
        fmt = fmt or ("png" if path.lower().endswith(".png") else "ppm")
        args = {"filename": os.path.abspath(path)}
        if fmt != "ppm":
            args["format"] = fmt
        self.execute("screendump", args)

    # -- input (input-send-event; `device` picks one input device by id) ----

    def send_events(self, events, device=None):
        args = {"events": events}
        if device:
            args["device"] = device
        self.execute("input-send-event", args)

    def send_key(self, qcode, down=True, device=None):
        """Press (down=True) or release a key named by its QEMU qcode
        ("a", "ret", "shift", "f1", ...)."""
        key = {"type": "qcode", "data": qcode}
        self.send_events([{"type": "key", "data": {"down": down, "key": key}}], device)

    def type_text(self, text, device=None, delay=0.02):
        """Type `text` key by key (US layout; shift where needed)."""
        for ch in text:
            qcode, shift = char_qcode(ch)
            keys = ["shift", qcode] if shift else [qcode]
            for k in keys:
                self.send_key(k, True, device)
            for k in reversed(keys):
                self.send_key(k, False, device)
            time.sleep(delay)

    def send_abs(self, x, y, device=None):
        """Move an absolute pointer; QEMU scales x and y as 0..0x7fff."""
        self.send_events([_axis("abs", "x", x), _axis("abs", "y", y)], device)

    def send_rel(self, dx, dy, device=None):
        """Move a relative pointer by (dx, dy)."""
        self.send_events([_axis("rel", "x", dx), _axis("rel", "y", dy)], device)

    def send_button(self, button, down=True, device=None):
        """Press or release a mouse button: "left", "right", "middle",
        "wheel-up", "wheel-down", "side", "extra"."""
        self.send_events([{"type": "btn", "data": {"down": down, "button": button}}], device)


def _axis(kind, axis, value):
    return {"type": kind, "data": {"axis": axis, "value": int(value)}}


def _connect(path, timeout):
    deadline = time.monotonic() + timeout
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(path)
            return sock
        except (FileNotFoundError, ConnectionRefusedError) as e:
            sock.close()
            if time.monotonic() > deadline:
                raise QMPError(f"{path}: cannot connect: {e}") from None
            time.sleep(0.05)


# US keyboard: the characters on each key, unshifted and shifted, and its qcode.
_PLAIN = "`1234567890-=[]\\;',./"
_SHIFTED = '~!@#$%^&*()_+{}|:"<>?'
_QCODES = ["grave_accent", "1", "2", "3", "4", "5", "6", "7", "8", "9", "0",
           "minus", "equal", "bracket_left", "bracket_right", "backslash",
           "semicolon", "apostrophe", "comma", "dot", "slash"]
_SPECIAL = {" ": "spc", "\n": "ret", "\t": "tab", "\b": "backspace"}


def char_qcode(ch):
    """Return (qcode, needs_shift) for one character; ValueError if none."""
    if "a" <= ch <= "z":
        return ch, False
    if "A" <= ch <= "Z":
        return ch.lower(), True
    if ch in _SPECIAL:
        return _SPECIAL[ch], False
    if ch in _PLAIN:
        return _QCODES[_PLAIN.index(ch)], False
    if ch in _SHIFTED:
        return _QCODES[_SHIFTED.index(ch)], True
    raise ValueError(f"no key types {ch!r}")


def read_ppm(path):
    """Read a binary PPM (P6, maxval 255, as QEMU's screendump writes).
    Returns (width, height, rows): rows[y] is bytes, 3 per pixel (r, g, b)."""
    with open(path, "rb") as f:
        data = f.read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    magic, w, h, maxval = fields[0], int(fields[1]), int(fields[2]), int(fields[3])
    if magic != b"P6" or maxval != 255:
        raise ValueError(f"{path}: not a P6 PPM with maxval 255")
    pos += 1  # the single white space after maxval
    pixels = data[pos:pos + w * h * 3]
    if len(pixels) != w * h * 3:
        raise ValueError(f"{path}: truncated")
    return w, h, [pixels[y * w * 3:(y + 1) * w * 3] for y in range(h)]


def main(argv):
    if len(argv) < 3:
        print("usage: qmp.py SOCKET COMMAND [JSON-ARGUMENTS]", file=sys.stderr)
        return 2
    try:
        with QMP(argv[1]) as q:
            args = json.loads(argv[3]) if len(argv) > 3 else None
            print(json.dumps(q.execute(argv[2], args), indent=2))
    except QMPError as e:
        print(f"qmp.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
