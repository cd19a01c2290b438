# perfctx: a patch series rewriting perf's context handling for Linux 6.1,
# and the rig that builds, boots and tests it. See README.md.
S := scripts
.PHONY: demo check check-arches compare bench bisect cocci tree export export-wip deps base kernel kernel-baseline bench-kernel help

help:
	@sed -n 's/^## \(make .*\)/\1/p' README.md

demo:            ## build the patched kernel, boot it, perf stat on several PMUs
	@$(S)/demo.sh

check:           ## every suite on the patched kernel vs results/baseline.json
	@$(S)/check.sh

check-arches:    ## W=1 builds for x86_64 arm64 arm ppc64le s390x of every user of what the series changes, baseline vs patched -> results/arches.md
	@$(S)/check-arches.sh

compare:         ## baseline and patched side by side -> results/compare.md
	@$(S)/compare.sh

bench:           ## bench kernels, baseline and patched, under -icount, two boots each -> results/bench.md, results/bench.png
	@$(S)/bench.sh

bisect:          ## every patch after the baseline mark: build, boot, emu_pmu_count -> results/bisect.md
	@$(S)/bisect.sh

cocci:           ## coccicheck MODE=report on the directories the series changes, baseline vs patched
	@$(S)/cocci.sh

deps:
	@$(S)/deps.sh

base:
	@$(S)/fetch-base.sh

tree:            ## (re)create build/linux from the base and patches/series
	@$(S)/deps.sh
	@$(S)/mktree.sh

export:          ## build/linux base..HEAD -> patches/
	@$(S)/export.sh

export-wip:      ## build/linux exported..HEAD -> patches/wip/ (WIP=1 make tree applies them)
	@$(S)/export-wip.sh

kernel:
	@$(S)/build-kernel.sh test patched

kernel-baseline:
	@$(S)/build-kernel.sh test baseline

bench-kernel:
	@$(S)/build-kernel.sh bench patched
