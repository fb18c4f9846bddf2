"""The Python peer pipeline over a folder of documents: sumy TextRank (3 sentences) plus the CRF NER peer
(python-crfsuite, the features of ../shared/eval/peers/scripts/ner_crf.py, trained once on CoNLL-2003 train and
cached in .venv-peers/conll_crf.model). One JSON result per document is written to OUT (plain write, no fsync:
this favours the peers). Single-threaded, like the peer figures in ../shared/eval/README.md.
usage: .venv-peers/bin/python Benchmarks/daemon/peers.py IN OUT        -> prints "docs seconds"
       .venv-peers/bin/python Benchmarks/daemon/peers.py --train       -> trains the model if missing"""
import ast, json, os, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
SHARED = os.environ.get('SHARED', os.path.join(ROOT, '..', 'shared'))
SCRIPTS = os.path.join(SHARED, 'eval', 'peers', 'scripts')
MODEL = os.path.join(ROOT, '.venv-peers', 'conll_crf.model')
os.environ.setdefault('NLTK_DATA', os.path.join(SHARED, 'eval', 'peers', 'nltk_data'))

# The peer's feature functions, taken from its script without running its training and tagging code.
_src = open(os.path.join(SCRIPTS, 'ner_crf.py')).read()
_mod = ast.parse(_src)
_mod.body = [n for n in _mod.body if isinstance(n, ast.FunctionDef) and n.name in ('shape', 'feats')]
exec(compile(_mod, 'ner_crf.py', 'exec'))

import pycrfsuite  # noqa: E402


def train():
    if os.path.exists(MODEL):
        return
    sys.path.insert(0, SCRIPTS)
    from ner_score import read
    t0 = time.perf_counter()
    tr = pycrfsuite.Trainer(verbose=False)
    for s in read(os.path.join(SHARED, 'eval', 'ner', 'conll2003', 'train.conll')):
        toks = [t for t, _ in s]
        tr.append([feats(toks, i) for i in range(len(toks))], [g for _, g in s])  # noqa: F821
    tr.set_params({'c1': 0.1, 'c2': 0.01, 'max_iterations': 150, 'feature.possible_transitions': True})
    tr.train(MODEL)
    print('trained %s in %.1fs' % (MODEL, time.perf_counter() - t0), file=sys.stderr)


def main(src, dst):
    import nltk
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.nlp.tokenizers import Tokenizer
    from sumy.nlp.stemmers import Stemmer
    from sumy.utils import get_stop_words
    from sumy.summarizers.text_rank import TextRankSummarizer
    tok = Tokenizer('english')
    summ = TextRankSummarizer(Stemmer('english'))
    summ.stop_words = get_stop_words('english')
    tagger = pycrfsuite.Tagger()
    tagger.open(MODEL)
    os.makedirs(dst, exist_ok=True)
    names = sorted(n for n in os.listdir(src) if not n.startswith('.'))
    t0 = time.perf_counter()
    for n in names:
        text = open(os.path.join(src, n), encoding='utf-8').read()
        summary = [str(s) for s in summ(PlaintextParser.from_string(text, tok).document, 3)]
        ents = []
        for para in text.split('\n'):
            for sent in nltk.sent_tokenize(para.strip()) if para.strip() else ():
                toks = nltk.word_tokenize(sent)
                tags = tagger.tag([feats(toks, i) for i in range(len(toks))])  # noqa: F821
                ents += [(w, t) for w, t in zip(toks, tags) if t != 'O']
        with open(os.path.join(dst, n + '.json'), 'w', encoding='utf-8') as f:
            json.dump({'summary': summary, 'entities': ents}, f)
    print(len(names), '%.3f' % (time.perf_counter() - t0))


if __name__ == '__main__':
    if sys.argv[1:] == ['--train']:
        train()
    else:
        train()
        main(sys.argv[1], sys.argv[2])
