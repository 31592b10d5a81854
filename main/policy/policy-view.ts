import type { MatchedRule, Evaluation, PolicyEngine } from './policy-engine.js';

/** `policy explain --json`: the decision, who decided, and every rule that matched but lost. */
export function explanationJson(evaluation: Evaluation, call: { server: string; tool: string; client: string | undefined }) {
  return {
    server: call.server,
    tool: call.tool,
    client: call.client ?? null,
    effect: evaluation.effect,
    layer: evaluation.layer,
    rule: evaluation.rule,
    reason: evaluation.reason,
    monitored: evaluation.monitored ?? null,
    hints: evaluation.hints,
    matched: evaluation.matched,
    lost: evaluation.matched.filter((m) => !m.decided),
  };
}

export function explanationText(evaluation: Evaluation, qualified: string): string {
  const lines = [
    `${qualified}: ${evaluation.effect.toUpperCase()}`,
    `  decided by: ${evaluation.layer} / ${evaluation.rule}`,
    `  reason:     ${evaluation.reason}`,
  ];
  if (evaluation.monitored) lines.push(`  monitor:    would have been ${evaluation.monitored}`);
  const lost = evaluation.matched.filter((m) => !m.decided);
  lines.push(lost.length === 0 ? '  matched but lost: none' : '  matched but lost:');
  for (const m of lost) lines.push(`    - ${describe(m)}`);
  for (const h of evaluation.hints) lines.push(`  hint: ${h.kind}: ${h.detail}`);
  return lines.join('\n');
}

function describe(m: MatchedRule): string {
  return `${m.layer} ${m.kind} "${m.rule}": ${m.effect}${m.monitored ? ' (monitor mode)' : ''} — ${m.reason}`;
}

/** `policy show`: the effective merged policy, every rule and default with the layer it comes from. */
export function effectivePolicyView(engine: PolicyEngine) {
  const d = engine.defaults;
  return {
    layers: engine.documents.map((l) => ({ source: l.name, mode: l.doc.mode ?? 'enforce' })),
    defaults: {
      tools: d.tools,
      newServers: d.newServers,
      newTools: d.newTools,
      promptTimeoutSeconds: d.promptTimeoutSeconds,
      allowAlways: d.allowAlways,
      maxGrantMs: d.maxGrantMs,
      requireWrapping: d.requireWrapping,
    },
    servers: engine.documents.flatMap((l) => (l.doc.servers ?? []).map((r) => ({ source: l.name, ...r }))),
    rules: engine.documents.flatMap((l) => (l.doc.rules ?? []).map((r) => ({ source: l.name, ...r }))),
    redaction: engine.documents.flatMap((l) => (l.doc.redaction ?? []).map((r) => ({ source: l.name, ...r }))),
    precedence: 'deny beats ask beats allow across all layers; managed before user on ties',
  };
}
