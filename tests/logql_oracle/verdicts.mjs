// The LogQL syntax oracle: Grafana's lezer grammar for LogQL (@grafana/lezer-logql).
//
// stdin:  a JSON array of query strings.
// stdout: a JSON array of verdicts, one per query, in order:
//   {"accepted": bool, "offset": int|null, "kind": "log"|"metric"|null}
// A query is accepted when its lezer parse tree holds no error node; "offset" is
// where the first error node (in document order) starts, counted in code points
// (Python str indices), null when accepted; "kind" is the top expression's kind
// (LogExpr -> "log", MetricExpr -> "metric"), null when rejected.
import { parser } from '@grafana/lezer-logql';

function verdict(query) {
  const tree = parser.parse(query);
  let first = null;
  tree.iterate({
    enter(node) {
      if (first !== null) return false;
      if (node.type.isError) {
        first = node.from;
        return false;
      }
      return true;
    },
  });
  if (first !== null) {
    // lezer positions are UTF-16 code units; count code points up to there.
    return { accepted: false, offset: Array.from(query.slice(0, first)).length, kind: null };
  }
  // LogQL > Expr > (LogExpr | MetricExpr)
  const top = tree.topNode.firstChild?.firstChild;
  const kind = top?.name === 'LogExpr' ? 'log' : top?.name === 'MetricExpr' ? 'metric' : null;
  return { accepted: true, offset: null, kind };
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const queries = JSON.parse(Buffer.concat(chunks).toString('utf8'));
if (!Array.isArray(queries) || !queries.every((q) => typeof q === 'string')) {
  process.stderr.write('expected a JSON array of strings on stdin\n');
  process.exit(2);
}
process.stdout.write(JSON.stringify(queries.map(verdict)) + '\n');
