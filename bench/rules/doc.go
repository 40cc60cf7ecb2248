// Package rules measures the triage rule evaluation of the knowledge base
// against other rule engines, side by side: the same rules (IDs) in our expr
// engine (the knowledge base's own compiled programs), Open Policy Agent
// (rules.rego), cel-go, grule (rules.grl) and hand-written Go, on the same
// generated requests (Requests, and their facts from triage.Engine.Facts). TestAllEnginesAgree checks that all
// of them give the same answers before BenchmarkRules times them; bench/run
// runs the benchmarks and writes bench/RULES.md.
package rules
