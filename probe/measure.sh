#!/bin/sh
# One figure set per rule change: glued left per page, the synthetic probe (5 seeds), make eval's lines.
tag=$1
.venv/bin/python probe/glued_left.py > /tmp/glued4_left_$tag.txt
.venv/bin/python probe/synthetic_glue.py -v --seeds 5 > /tmp/glued4_probe5_$tag.txt
.venv/bin/python bench/evaluate.py > /tmp/glued4_eval_$tag.txt 2>&1
grep "^== .*1k" /tmp/glued4_left_$tag.txt
head -6 /tmp/glued4_probe5_$tag.txt
grep -E "^this cleaner|^false splits" /tmp/glued4_eval_$tag.txt | cut -c1-200
