"""LogQL's grammar (after Loki's ``syntax.y``) and the lark LALR parser built from it.

The rules follow Loki's yacc grammar production for production, with three
deliberate restatements that keep the accepted language while making the
grammar conflict-free where yacc relied on ``%left``/``%right``:

* binary operators are layered by precedence (``or`` < ``and``/``unless`` <
  comparisons < ``+ -`` < ``* / %`` < ``^``, the last right-associative);
* every operand and aggregation body is ``expr``; Loki's split into log and
  metric expressions is enforced by the tree builder, which reports a log query
  where a metric one is required (Loki reports a syntax error there);
* label-filter chains (``and``/``or``/``,``/juxtaposition) are one flat list,
  since their tree shape does not affect validity.

Shift/reduce conflicts that remain are the ones yacc has too (``or`` after a
line or label filter, ``(`` after ``group_left``); lark, like yacc, shifts.
Tokens come from :mod:`.lexer`; the terminals are declared, not matched.
"""

from __future__ import annotations

GRAMMAR = r"""
%declare IDENTIFIER STRING NUMBER DURATION RANGE BYTES FLAG
%declare EQ NEQ RE NRE NPA PIPE_EXACT PIPE_MATCH PIPE_PATTERN PIPE
%declare LBRACE RBRACE LPAREN RPAREN LBRACKET RBRACKET COMMA DOT
%declare BY WITHOUT BOOL ON IGNORING GROUP_LEFT GROUP_RIGHT OFFSET
%declare OR AND UNLESS ADD SUB MUL DIV MOD POW CMP_EQ GT GTE LT LTE
%declare JSON REGEXP LOGFMT UNPACK PATTERN LINE_FORMAT LABEL_FORMAT IP DECOLORIZE
%declare DROP KEEP UNWRAP LABEL_REPLACE VECTOR RANGE_OP VECTOR_OP CONV_OP

start: expr

?expr: or_expr
?or_expr: and_expr | or_expr OR bin_mod and_expr -> binop
?and_expr: cmp_expr | and_expr (AND | UNLESS) bin_mod cmp_expr -> binop
?cmp_expr: add_expr | cmp_expr (CMP_EQ | NEQ | GT | GTE | LT | LTE) bin_mod add_expr -> binop
?add_expr: mul_expr | add_expr (ADD | SUB) bin_mod mul_expr -> binop
?mul_expr: pow_expr | mul_expr (MUL | DIV | MOD) bin_mod pow_expr -> binop
?pow_expr: operand | operand POW bin_mod pow_expr -> binop

?operand: log_query
        | range_agg
        | vector_agg
        | literal
        | label_replace
        | VECTOR LPAREN NUMBER RPAREN -> vector_lit
        | LPAREN expr RPAREN -> paren

bin_mod: BOOL? matching?
matching: (ON | IGNORING) LPAREN label_list? RPAREN group_mod?
group_mod: (GROUP_LEFT | GROUP_RIGHT) (LPAREN label_list? RPAREN)?
label_list: IDENTIFIER (COMMA IDENTIFIER)*

literal: NUMBER | ADD NUMBER | SUB NUMBER

log_query: selector stage*

selector: LBRACE (matcher (COMMA matcher)*)? RBRACE
matcher: IDENTIFIER (EQ | NEQ | RE | NRE) STRING

// -- metric functions --------------------------------------------------------

range_agg: RANGE_OP LPAREN (NUMBER COMMA)? log_range RPAREN grouping?

vector_agg: VECTOR_OP LPAREN (NUMBER COMMA)? expr RPAREN grouping?
          | VECTOR_OP grouping LPAREN (NUMBER COMMA)? expr RPAREN

grouping: (BY | WITHOUT) LPAREN label_list? RPAREN

label_replace: LABEL_REPLACE LPAREN expr COMMA STRING COMMA STRING COMMA STRING COMMA STRING RPAREN

// Loki's 25 forms of a log range: the range may come before or after the
// pipeline, and the selector (with its pipeline and unwrap) may be parenthesised.
log_range: selector RANGE offset?
         | selector RANGE offset? unwrap
         | selector RANGE offset? stage+
         | selector RANGE offset? stage+ unwrap
         | selector stage+ unwrap? RANGE offset?
         | selector unwrap RANGE offset?
         | LPAREN selector stage* unwrap? RPAREN RANGE offset?
         | LPAREN selector RPAREN RANGE offset? unwrap
         | LPAREN log_range RPAREN -> paren_range

offset: OFFSET DURATION

unwrap: PIPE UNWRAP IDENTIFIER
      | PIPE UNWRAP CONV_OP LPAREN IDENTIFIER RPAREN
      | unwrap PIPE label_filter -> unwrap_filter

// -- pipeline ----------------------------------------------------------------

?stage: line_filter
      | PIPE LOGFMT FLAG* extractions? -> logfmt_parser
      | PIPE JSON extractions? -> json_parser
      | PIPE REGEXP STRING -> regexp_parser
      | PIPE PATTERN STRING -> pattern_parser
      | PIPE UNPACK -> unpack_parser
      | PIPE label_filter -> label_filter_stage
      | PIPE LINE_FORMAT STRING -> line_format
      | PIPE DECOLORIZE -> decolorize
      | PIPE LABEL_FORMAT label_fmt (COMMA label_fmt)* -> label_format
      | PIPE DROP named_matcher (COMMA named_matcher)* -> drop_labels
      | PIPE KEEP named_matcher (COMMA named_matcher)* -> keep_labels

line_filter: (PIPE_EXACT | PIPE_MATCH | PIPE_PATTERN | NEQ | NRE | NPA) filter_value (OR or_value)*
?filter_value: STRING | IP LPAREN STRING RPAREN -> ip_value
?or_value: STRING | IP LPAREN STRING RPAREN -> ip_value

extractions: extraction (COMMA extraction)*
extraction: IDENTIFIER (EQ STRING)?

label_fmt: IDENTIFIER EQ (IDENTIFIER | STRING)
named_matcher: IDENTIFIER | matcher

label_filter: lf_term ((AND | OR | COMMA)? lf_term)*
?lf_term: matcher
        | IDENTIFIER (EQ | NEQ) IP LPAREN STRING RPAREN -> ip_filter
        | IDENTIFIER (GT | GTE | LT | LTE | NEQ | EQ | CMP_EQ) (DURATION | BYTES) -> unit_filter
        | IDENTIFIER (GT | GTE | LT | LTE | NEQ | EQ | CMP_EQ) literal -> number_filter
        | LPAREN label_filter RPAREN -> paren_filter
"""
