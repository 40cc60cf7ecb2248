package triage

import (
	"aftercare/knowledge"
	"aftercare/textread"
)

// Default returns an engine over the built-in knowledge base and lexicon.
func Default() (*Engine, error) { return Load("") }

// Load returns an engine over the built-in knowledge base with a clinic's own
// file laid over it (none when path is empty).
func Load(path string) (*Engine, error) {
	kb, err := knowledge.Load(path)
	if err != nil {
		return nil, err
	}
	return New(kb, textread.New(textread.DefaultLexicon(), Bands(kb))), nil
}

// Bands returns the knowledge base's pain bands in the text reader's form.
func Bands(kb *knowledge.Base) textread.Bands {
	return textread.Bands{Mild: kb.Bands.Mild, Moderate: kb.Bands.Moderate, Severe: kb.Bands.Severe}
}
