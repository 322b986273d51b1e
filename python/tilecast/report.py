"""Self-contained HTML reports from tilecast.prediction.v1 documents.

The page template (report.html, beside this file) is the one tilecast-predict
--format=html embeds, so both tools draw the same page.
"""

import json
import pathlib

from .prediction import Prediction

_TEMPLATE = pathlib.Path(__file__).with_name("report.html")
_MARKER = "/*TILECAST_DATA*/null"


def render(predictions):
    """The HTML page for one or more predictions (Prediction objects, dicts,
    JSON texts or paths); several are drawn side by side for comparison."""
    if isinstance(predictions, (Prediction, dict, str, pathlib.Path)):
        predictions = [predictions]
    documents = []
    for item in predictions:
        prediction = item if isinstance(item, Prediction) else Prediction.from_json(item)
        # "</script>" or "<!--" in a name would end or confuse the <script>
        # element; '<' only occurs inside JSON strings, where \u003c is it.
        documents.append(json.dumps(prediction.document()).replace("<", "\\u003c"))
    page = _TEMPLATE.read_text()
    return page.replace(_MARKER, "[" + ",".join(documents) + "]", 1)


def write(predictions, path):
    """Writes render(predictions) to `path`."""
    pathlib.Path(path).write_text(render(predictions))
