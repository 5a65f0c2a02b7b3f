"""Reports (报告): notebooks executed with parameters, their HTML, the forecast memo.

Topic modules: ``notebooks`` (papermill execution, cleaning, HTML, house-rule
checks), ``memo`` (the memo's numbers), ``content`` (its words in Chinese or
English), ``formats`` (HTML, PDF, Word), ``bulletin_sheet`` (the bulletin workbook),
``build`` (the ``report``
command's work).
"""

from __future__ import annotations

from .build import *  # noqa: F403
from .build import __all__ as _build_all
from .memo import *  # noqa: F403
from .memo import __all__ as _memo_all
from .notebooks import *  # noqa: F403
from .notebooks import __all__ as _nb_all

__all__ = [*_nb_all, *_memo_all, *_build_all]
