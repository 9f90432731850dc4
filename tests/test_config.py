import json

import pytest

from analysis import config, paths
from analysis.errors import ParameterError

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("*.ipynb"))


def test_unknown_profile():
    with pytest.raises(ParameterError, match="unknown profile 'fast'"):
        config.load_profile("fast")


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_each_notebook_has_exactly_one_parameters_cell(nb):
    cells = json.loads(nb.read_text())["cells"]
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    assert config.notebook_parameters(nb)


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_thin(nb):
    for c in json.loads(nb.read_text())["cells"]:
        if c["cell_type"] == "code":
            src = "".join(c["source"])
            assert "def " not in src and "class " not in src


def test_typo_in_notebook_parameter_fails():
    nb = paths.NOTEBOOKS / "10-disk.ipynb"
    config.check_notebook_parameters(nb, {"profile": "smoke", "measure": True})
    with pytest.raises(ParameterError, match="has no parameter.*profle"):
        config.check_notebook_parameters(nb, {"profle": "smoke"})
