# Two commands set everything up: `make install && make train`, and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# A pinned torch is served from a local file here; an unpinned one pulls GBs of CUDA wheels.
TORCH ?= torch==2.13.0
CONFIG ?= configs/default.cfg
ARGS ?=
PIPELINE ?= models/vi_vietgov_default
DATA ?= annotations/test.jsonl
# gold canonical names of DATA's records (annotations/canonical/; empty: not scored)
CANONICAL ?= annotations/canonical/test.jsonl
SHARED ?= ../shared

.PHONY: install validate stats train silver row-scorer pretrain shapes evaluate readme-table bench positions test fuzz package clean

install:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q $(TORCH)
	$(BIN)/python -m pip install -q -e ".[train,test,positions]"

# the committed splits, and the real corpus articles annotated by reference (read against ../shared/corpus)
validate:
	$(BIN)/vietgov validate annotations/train.jsonl annotations/dev.jsonl annotations/test.jsonl annotations/real
	$(BIN)/vietgov validate annotations/agreement

stats:
	$(BIN)/vietgov stats

# trains on the defaults, writes training/output/<config>/ and replaces the
# shipped pipeline only if the new one scores better on dev
train: validate
	$(BIN)/python -m training.train $(CONFIG) $(ARGS)

# self-training: the shipped pipeline pseudo-labels corpus articles, configs/silver.cfg's base config
# trains again with the sentences it is sure of; ships only if better on the deciding dev file
silver: validate
	$(BIN)/python -m training.silver configs/silver.cfg $(ARGS)

# the positions database's row scorer, fitted on rows judged by hand (annotations/rows/judged.jsonl)
row-scorer:
	$(BIN)/python -m training.row_scorer configs/row-scorer.cfg $(ARGS)

# masked-LM pretraining of the offline base encoder; resumes from its checkpoints
CORPUS ?= $(SHARED)/corpus/party_gov_news.jsonl.gz $(SHARED)/corpus/general_news.jsonl.gz
pretrain:
	$(BIN)/python -m training.pretrain configs/pretrain.cfg --paths.corpus "$(CORPUS)" $(ARGS)

# pretraining tokens/s of a few model shapes on this machine (the size study of the offline base)
shapes:
	$(BIN)/python -m training.time_shapes configs/pretrain.cfg --output training/output/shapes.json $(ARGS)

# scores on each test split; the error reports quote corpus text, so they stay in training/output (not committed)
evaluate:
	mkdir -p training/output
	$(BIN)/vietgov evaluate $(PIPELINE) $(DATA) --output $(PIPELINE)/evaluation.json --errors training/output/errors.md \
		$(if $(CANONICAL),--canonical $(CANONICAL))
	$(BIN)/vietgov evaluate $(PIPELINE) annotations/real/test.jsonl --output $(PIPELINE)/evaluation-real.json \
		--errors training/output/errors-real.md --canonical annotations/canonical/real-test.jsonl
	$(if $(filter models/vi_vietgov_default,$(PIPELINE)),$(MAKE) readme-table)

# the README's results table, written from the shipped pipeline's evaluation files (make evaluate)
readme-table:
	$(BIN)/python -m training.results_table models/vi_vietgov_default --readme README.md

bench:
	$(BIN)/python -m training.bench --pipeline $(PIPELINE) --shared $(SHARED) --output $(PIPELINE)/bench.json $(ARGS)

# who held which post: every position mention of CORPUS into the SQLite database POSITIONS_DB (resumes where it
# stopped), then its FollowTheMoney export beside it; ARGS="--dask" runs on a local Dask cluster
POSITIONS_DB ?= training/output/positions.sqlite
positions:
	$(BIN)/vietgov positions build $(CORPUS) --db $(POSITIONS_DB) --n-process 2 $(ARGS)
	$(BIN)/vietgov positions export $(POSITIONS_DB) --ftm $(basename $(POSITIONS_DB)).ftm.json

test:
	$(BIN)/python -m pytest -q tests

# 10,000 random and adversarial inputs through nlp, nlp.pipe(n_process=2) and the CLI: 0 failures expected
FUZZ ?= 10000
fuzz:
	$(BIN)/python -m tests.fuzz --pipeline $(PIPELINE) --n $(FUZZ)

# two wheels: vietgov (the components) and the pipeline, which requires it
package:
	mkdir -p dist
	$(BIN)/python -m pip wheel --no-deps -w dist .
	$(BIN)/python -m spacy package $(PIPELINE) dist --build wheel --force

clean:
	rm -rf training/output dist build *.egg-info .pytest_cache
