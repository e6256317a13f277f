-- 0012: compounds through the vocabulary instead of a trigram index over the text.
-- search_trigram held the trigrams of every study's short fields, and a query word's substring
-- arm walked its posting lists over all studies (50-160 ms at 100,000 studies even when it found
-- nothing new). Now the trigrams index only the vocabulary (search_terms, a few thousand words):
-- the words containing a typed word ("lungekreft" for "kreft") are looked up there in well under
-- a millisecond and then matched as ordinary words in search_fts, restricted to the short fields.
CREATE VIRTUAL TABLE search_term_grams USING fts5 (term, tokenize = 'trigram');
INSERT INTO search_term_grams (term) SELECT term FROM search_terms;
DROP TABLE search_trigram;
