"""Data derived once from installed packages, kept on disk between processes.

Some enrichment data is expensive to derive and cheap to read: Faker's given names (importing
~90 modules), the sentiment tables (simplemma's lemmatisation lists, ~3.6 million entries for
six languages, ~300 MB while loaded). Every enrichment process (a start, or the replacement of
one that died) would pay that in time and memory, so the result is written once as a file named
by a key that changes whenever its inputs do (package versions, data file hashes), and read in
milliseconds after that.

Where: ``ENRICH_CACHE_DIR`` (the image sets it to a directory filled at build time), else
``$XDG_CACHE_HOME/enrich-worker`` (``~/.cache``), else the temp directory. A read-only place is
skipped; with none writable the data is derived every time, which is slower but still right.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


def dirs() -> list[Path]:
    """Cache directories, most preferred first."""
    home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    found = [Path(home) / "enrich-worker", Path(tempfile.gettempdir()) / "enrich-worker"]
    if explicit := os.environ.get("ENRICH_CACHE_DIR"):
        found.insert(0, Path(explicit))
    return found


def read(name: str) -> str | None:
    """The cached text called ``name``, from the first directory that has it."""
    for folder in dirs():
        with contextlib.suppress(OSError):
            return (folder / name).read_text("utf-8")
    return None


def exists(name: str) -> bool:
    """A text called ``name`` is stored in one of the directories (without reading it)."""
    return any((folder / name).is_file() for folder in dirs())


def write(name: str, text: str) -> bool:
    """Store ``text`` atomically in the first writable directory; False if none is."""
    for folder in dirs():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f".{name}.{os.getpid()}.tmp"
            tmp.write_text(text, "utf-8")
            os.replace(tmp, folder / name)  # readers never see half a file
            return True
        except OSError:
            continue
    return False


def text(name: str, derive: Callable[[], str]) -> str:
    """The cached text called ``name``, derived and stored on the first call."""
    found = read(name)
    if found is None:
        found = derive()
        write(name, found)
    return found


def lines(name: str, derive: Callable[[], str]) -> Iterator[str]:
    """The cached text called ``name`` line by line, derived and stored on the first call.
    A large table read whole would sit in memory as one string beside what is built from it,
    and the freed string leaves the process's heap fragmented at a higher size."""
    for folder in dirs():
        try:
            handle = (folder / name).open(encoding="utf-8")
        except OSError:
            continue
        with handle:
            yield from handle
        return
    found = derive()
    write(name, found)
    yield from io.StringIO(found)
