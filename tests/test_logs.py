import subprocess
import sys

from .conftest import ROOT

PROGRAM = """
import logging, sys
from vietgov.logs import configure_logging
configure_logging()
logging.getLogger(__name__).info("from the program")
logging.getLogger("vietgov.x").info("from the library")
logging.getLogger("transformers.x").info("from another library")
"""


def test_a_program_run_as_main_shows_its_own_and_the_projects_info_lines_only():
    # `python -m training.train` logs as __main__: its progress lines must show, other libraries' INFO not
    done = subprocess.run([sys.executable, "-c", PROGRAM], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stderr.splitlines() == ["[__main__] from the program", "[vietgov.x] from the library"]
