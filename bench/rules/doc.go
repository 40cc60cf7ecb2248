// Package rules measures the triage rule evaluation of the knowledge base
// against other rule engines, side by side: the same rules (IDs) in our
// engine (the built-in rules compiled ahead of time, AOT; and the same
// conditions compiled at load, Ours), the expr VM it replaced (ExprVM), Open
// Policy Agent (rules.rego), cel-go, grule (rules.grl) and hand-written Go,
// on the same generated requests (Requests, and their facts from
// triage.Engine.Facts). TestAllEnginesAgree checks that all of them give the
// same answers before BenchmarkRules times them; scripts/bench runs the
// benchmarks in interleaved rounds and writes BENCHMARKS.md.
package rules
