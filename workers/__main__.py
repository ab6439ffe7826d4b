"""`python -m workers`: run one moderation worker."""

from workers.main import run

run()
