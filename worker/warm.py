"""What every enrichment process shares, loaded once and inherited by fork.

A fresh Python that imports spaCy and builds the shared tables takes ~7 s (spaCy's French
tokenizer exceptions alone compile regular expressions for ~3 s; every gazetteer ~2 s). That is
fine at start-up but not when a process that died is replaced: the worker runs slower, or not at
all, until its successor is ready, and two that start together on two cores take longer still.

So the pool starts its processes from a *forkserver* (``multiprocessing``'s, the way gunicorn's
``--preload`` or Celery's prefork pool start workers from a loaded parent), and the forkserver
imports this module first: spaCy and the language classes of the installed pipelines, then the
gazetteers, sentiment tables and name data of every language. A process forked from it starts
with all of that already in memory (shared copy-on-write with its siblings) and only loads its
pipelines' weights (~1.5 s). The pipelines stay per process: which package serves a language
is the worker's configuration, not this module's.

Only the forkserver imports this module (importing it is the work). Nothing here may fail
the forkserver: on any error the processes build everything themselves, exactly as they would
without it, and report the problem through their own start-up.
"""

from __future__ import annotations

import gc
import logging

log = logging.getLogger(__name__)


def warm() -> None:
    """Import what a process would import and build what it would build, pipelines aside."""
    import spacy

    from .enrich.models import ModelRegistry
    from .pool import load_shared_data

    langs = ModelRegistry().installed_languages()
    for lang in langs:
        spacy.util.get_lang_class(lang)  # tokenizer exceptions, stop words, lemmatizer tables
    load_shared_data(langs)
    # Objects made so far live as long as the process: keep the collector from walking (and so
    # writing to, and un-sharing) their pages in every forked process.
    gc.freeze()


try:
    warm()
except Exception:  # the processes then build everything themselves
    log.exception("preloading the enrichment processes' shared data failed")
