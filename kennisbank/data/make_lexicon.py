"""Write data/lexicon-nl.txt.gz, the Dutch lexicon kennisbank splits compounds with.

    python kennisbank/data/make_lexicon.py      (needs wordfreq==3.1.1, in the test extra)

The words and frequencies are wordfreq's Dutch list (https://github.com/rspeer/wordfreq,
data licensed CC BY-SA 4.0: Robyn Speer, wordfreq v3.1), folded and kept from Zipf 2.5 up.
tests/test_analysis.py checks that the shipped file equals what this writes.
"""

from kennisbank.files import atomic_write
from kennisbank.search.analysis import LEXICON_FILE, Lexicon

if __name__ == "__main__":
    atomic_write(LEXICON_FILE, Lexicon.from_wordfreq().shipped_bytes())
    print(f"wrote {LEXICON_FILE}")
