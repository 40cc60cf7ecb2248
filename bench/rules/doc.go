// Package rules measures the triage rule evaluation of the knowledge base
// against other rule engines, side by side: the same rules (IDs) in our
// engine (the knowledge base's expr programs, Ours), Open Policy Agent
// (rules.rego), cel-go, grule (rules.grl) and hand-written Go, on the same
// generated requests (Requests, and their facts from triage.Engine.Facts).
// It is optional: the translations are not kept equal to every change of
// knowledge.yaml. TestAllEnginesAgree checks that all of them give the same
// answers before BenchmarkRules times them; scripts/bench --engines runs the
// benchmarks in rounds and reports them in bench/BENCHMARKS.md.
package rules
