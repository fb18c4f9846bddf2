# ROUGE-1/2/L F1 (rouge-score, stemming on) of seedwatch summaries, exactly as the peers are scored
# by ../shared/eval/peers/scripts/summ_baseline.py: target = reference, prediction = sentences
# joined by newlines, mean F1 x 100.
# usage: score.py SUMMARIES.jsonl [DATA.jsonl]
import json, sys, statistics, os
from rouge_score import rouge_scorer

here = os.path.dirname(os.path.abspath(__file__))
summaries = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
data = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, '../../../shared/eval/summ/bbc_news_summary.jsonl')
refs = {d['id']: d['reference'] for d in map(json.loads, open(data))}
scorer = rouge_scorer.RougeScorer(['rouge1', 'rouge2', 'rougeL'], use_stemmer=True)
out = {}
for mode in ('k3', 'kref'):
    sc = {m: [] for m in ('rouge1', 'rouge2', 'rougeL')}
    for s in summaries:
        r = scorer.score(refs[s['id'][0]], '\n'.join(s[mode]))
        for m in sc: sc[m].append(r[m].fmeasure)
    out[mode] = {m: round(100 * statistics.mean(v), 2) for m, v in sc.items()}
    print(f"{mode:5} seedwatch  R1 {out[mode]['rouge1']:6.2f}  R2 {out[mode]['rouge2']:6.2f}  RL {out[mode]['rougeL']:6.2f}  (n={len(summaries)})")
