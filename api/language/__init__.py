"""Reading which language a text is in: language names, scripts, the romanised-text detector.

The decision of which language to answer in is the language service's
(api/services/language.py); this package only reads text.
"""
