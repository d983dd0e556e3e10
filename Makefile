# The two commands of the README, plus the checks developers and CI share.
.PHONY: setup demo test check bench

setup:
	./scripts/setup.sh

demo: setup
	.venv/bin/sohoa demo

test: setup
	.venv/bin/python -m pytest

check: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/python -m pytest

bench: setup
	.venv/bin/pip install --quiet -r bench/requirements.txt
	.venv/bin/python -m bench.ocr_accuracy
	.venv/bin/python -m bench.pipeline_speed
	.venv/bin/python -m bench.vs_ocrmypdf
	.venv/bin/python -m bench.worker_memory
	.venv/bin/python -m bench.fields
	.venv/bin/python -m bench.review_desk
	.venv/bin/python -m bench.page_reuse
