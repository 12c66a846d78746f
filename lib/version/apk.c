#include "../util/setup.h"

#include "drydock/error.h"
#include "drydock/limits.h"
#include "drydock/version.h"

#include "internal.h"

/*
 * Alpine versions. Today's apk-tools (the lexer rewritten in 2024) accepts
 *   digits {.digits} [letter] {_suffix[digits]} [~hexhash] [-rdigits]
 * with suffix one of alpha beta pre rc (before the release) or cvs svn
 * git hg p (after it). apk-tools 2 accepted more: a letter followed by
 * digits (`5.7.1p1`), empty digit groups (`0.12.5.-r0`, `0.8.21.r2`), a
 * bare `-r` or `_`, several `-rN`, and no leading digits; Alpine's secdb
 * still carries such versions. We accept both grammars: the first gives
 * DRYDOCK_VERSION_VALID, the second only DRYDOCK_VERSION_WARN.
 *
 * Ordering: versions are split into tokens, compared pairwise while both
 * have a token of the same kind; the first difference decides. When the
 * kinds differ, a pre-release suffix is lowest, then the end of the
 * version, then, from low to high: -r, ~hash, suffix number, other
 * suffix, letter, digits. This is apk-tools' order; the apk-tools 2 forms
 * slot into it as apk-tools 2 ordered them (docs/version.md).
 *
 * Numbers are read into uint64_t modulo 2^64, as apk-tools reads them.
 */

enum tok {
	T_INITIAL,   /* leading digits */
	T_DIGIT,     /* digits after '.' */
	T_LDIGIT,    /* digits after a letter (apk-tools 2 only) */
	T_LETTER,    /* one lowercase letter */
	T_SUFFIX,    /* _name */
	T_SUFFIX_NO, /* digits after a suffix */
	T_HASH,	     /* ~hexdigits */
	T_REV,	     /* -r digits */
	T_END,
	T_INVALID
};

/* Suffix values, in order; the pre-release ones sort before NONE. */
enum suffix {
	S_ALPHA,
	S_BETA,
	S_PRE,
	S_RC,
	S_NONE,
	S_CVS,
	S_SVN,
	S_GIT,
	S_HG,
	S_P
};

static const struct {
	const char *name;
	size_t len;
	enum suffix val;
} suffixes[] = {
	{"alpha", 5, S_ALPHA}, {"beta", 4, S_BETA}, {"pre", 3, S_PRE},
	{"rc", 2, S_RC},       {"cvs", 3, S_CVS},   {"svn", 3, S_SVN},
	{"git", 3, S_GIT},     {"hg", 2, S_HG},	    {"p", 1, S_P},
};

#define NSUFFIXES (sizeof(suffixes) / sizeof(suffixes[0]))

static int suffix_exact(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < NSUFFIXES; i++)
		if (suffixes[i].len == n && !memcmp(suffixes[i].name, p, n))
			return (int)suffixes[i].val;
	return -1;
}

static int is_hex(int c)
{
	return v_isdigit(c) || (c >= 'a' && c <= 'f');
}

static size_t span_digits(const char *s, size_t n, size_t i)
{
	while (i < n && v_isdigit(s[i]))
		i++;
	return i;
}

static size_t now_scan(const char *s, size_t n);

/*
 * Today's grammar. Returns 1 when s is valid, else 0 with *at set to the
 * offset where it stops being valid (n when it ends too early).
 */
static int valid_now(const char *s, size_t n, size_t *at)
{
	size_t r = now_scan(s, n);

	*at = r == (size_t)-1 ? 0 : r;
	return r == (size_t)-1;
}

/* valid_now() without the wrapper: (size_t)-1 when valid. */
static size_t now_scan(const char *s, size_t n)
{
	enum tok prev = T_INITIAL;
	size_t i, j;

	i = span_digits(s, n, 0);
	if (i == 0)
		return 0;
	while (i < n) {
		char c = s[i];

		if (v_islower(c)) {
			if (prev > T_DIGIT)
				return i;
			prev = T_LETTER;
			i++;
		} else if (c == '.') {
			if (prev > T_DIGIT)
				return i;
			j = span_digits(s, n, i + 1);
			if (j == i + 1)
				return i + 1;
			prev = T_DIGIT;
			i = j;
		} else if (v_isdigit(c)) {
			if (prev != T_SUFFIX)
				return i;
			prev = T_SUFFIX_NO;
			i = span_digits(s, n, i);
		} else if (c == '_') {
			if (prev > T_SUFFIX_NO)
				return i;
			for (j = i + 1; j < n && v_islower(s[j]); j++)
				;
			if (suffix_exact(s + i + 1, j - i - 1) < 0)
				return i + 1;
			prev = T_SUFFIX;
			i = j;
		} else if (c == '~') {
			if (prev >= T_HASH)
				return i;
			for (j = i + 1; j < n && is_hex(s[j]); j++)
				;
			if (j == i + 1)
				return i + 1;
			prev = T_HASH;
			i = j;
		} else if (c == '-') {
			if (prev >= T_REV || i + 1 >= n || s[i + 1] != 'r')
				return i;
			j = span_digits(s, n, i + 2);
			if (j == i + 2)
				return i + 2;
			prev = T_REV;
			i = j;
		} else {
			return i;
		}
	}
	return (size_t)-1;
}

/*
 * apk-tools 2's grammar, as its state machine ran: the state is the kind
 * of the next token; each kind may be followed by a later kind, and by a
 * few earlier ones (a '.' group after digits, '_' after a suffix number,
 * digits after a letter). Returns 1 when s is valid.
 */
enum old { O_DOT, O_DIGIT, O_LETTER, O_SUFFIX, O_SUFFIX_NO, O_REV };

static int valid_old(const char *s, size_t n)
{
	enum old t = O_DIGIT, nt;
	size_t i = 0, k;

	for (;;) {
		if (i == n)
			return 1;
		switch (t) {
		case O_DOT:
			if (s[i] == '0') {
				while (i < n && s[i] == '0')
					i++;
				if (i == n)
					return 1;
				/* the digits after the zeros, if any */
				t = O_DIGIT;
				continue;
			}
			i = span_digits(s, n, i);
			break;
		case O_DIGIT:
		case O_SUFFIX_NO:
		case O_REV:
			i = span_digits(s, n, i);
			break;
		case O_LETTER:
			i++;
			break;
		case O_SUFFIX:
			/* the first name that is a prefix of the rest */
			for (k = 0; k < NSUFFIXES; k++)
				if (suffixes[k].len <= n - i &&
				    !memcmp(suffixes[k].name, s + i,
					    suffixes[k].len))
					break;
			if (k == NSUFFIXES)
				return 0;
			i += suffixes[k].len;
			break;
		}
		if (i == n)
			return 1;
		if ((t == O_DIGIT || t == O_DOT) && v_islower(s[i])) {
			nt = O_LETTER;
		} else if (t == O_LETTER && v_isdigit(s[i])) {
			nt = O_DIGIT;
		} else if (t == O_SUFFIX && v_isdigit(s[i])) {
			nt = O_SUFFIX_NO;
		} else if (s[i] == '.') {
			nt = O_DOT;
			i++;
		} else if (s[i] == '_') {
			nt = O_SUFFIX;
			i++;
		} else if (s[i] == '-' && i + 1 < n && s[i + 1] == 'r') {
			nt = O_REV;
			i += 2;
		} else {
			return 0;
		}
		if (nt < t && !(nt == O_DOT && t == O_DIGIT) &&
		    !(nt == O_SUFFIX && t == O_SUFFIX_NO) &&
		    !(nt == O_DIGIT && t == O_LETTER))
			return 0;
		t = nt;
	}
}

/*
 * 0 valid today, 1 valid for apk-tools 2 only, or a negative code.
 * want_msg: record the message (warning or error) on err.
 */
static int apk_check(const char *s, size_t *len, int want_msg,
		     struct drydock_err *err)
{
	size_t n, at;
	int r;

	r = version_length(s, &n, err);
	if (r)
		return r;
	*len = n;
	if (!n)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'': empty apk version");
	if (valid_now(s, n, &at))
		return DRYDOCK_VERSION_VALID;
	if (valid_old(s, n)) {
		if (want_msg)
			drydock_err_set(err, 0,
					"'%s': apk version accepted by "
					"apk-tools 2 only",
					s);
		return DRYDOCK_VERSION_WARN;
	}
	if (at < n)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': not an apk version (at byte %zu)",
				       s, at + 1);
	return drydock_err_set(err, DRYDOCK_ECORRUPT,
			       "'%s': not an apk version (ends too early)", s);
}

int drydock_apk_valid(const char *s, struct drydock_err *err)
{
	size_t n;

	return apk_check(s, &n, 1, err);
}

/* One token of a version known to be valid in one of the grammars. */
struct token {
	enum tok type;
	const char *p; /* digits, hash or letter */
	size_t len;
	uint64_t num;
	int suffix;
};

struct lexer {
	const char *s;
	size_t n, i;
	struct token t;
};

static void take_digits(struct lexer *l)
{
	uint64_t v = 0;

	l->t.p = l->s + l->i;
	while (l->i < l->n && v_isdigit(l->s[l->i]))
		v = v * 10 + (uint64_t)(l->s[l->i++] - '0');
	l->t.len = (size_t)(l->s + l->i - l->t.p);
	l->t.num = v;
}

static void lex_first(struct lexer *l, const char *s, size_t n)
{
	l->s = s;
	l->n = n;
	l->i = 0;
	l->t.type = T_INITIAL;
	take_digits(l);
}

static void lex_next(struct lexer *l)
{
	char c;
	size_t j;

	if (l->i >= l->n) {
		l->t.type = T_END;
		return;
	}
	c = l->s[l->i];
	if (v_islower(c)) {
		l->t.type = T_LETTER;
		l->t.p = l->s + l->i++;
		l->t.len = 1;
	} else if (v_isdigit(c)) {
		/* only after a letter (apk-tools 2) or a suffix */
		l->t.type = l->t.type == T_LETTER ? T_LDIGIT : T_SUFFIX_NO;
		take_digits(l);
	} else if (c == '.') {
		l->i++;
		l->t.type = T_DIGIT;
		take_digits(l);
	} else if (c == '_') {
		l->i++;
		for (j = l->i; j < l->n && v_islower(l->s[j]); j++)
			;
		l->t.type = T_SUFFIX;
		/* apk-tools 2 read a bare '_' at the end like "_cvs" */
		l->t.suffix =
			j == l->i ? S_CVS : suffix_exact(l->s + l->i, j - l->i);
		l->i = j;
	} else if (c == '~') {
		l->i++;
		l->t.type = T_HASH;
		l->t.p = l->s + l->i;
		while (l->i < l->n && is_hex(l->s[l->i]))
			l->i++;
		l->t.len = (size_t)(l->s + l->i - l->t.p);
	} else if (c == '-') {
		l->i += 2; /* "-r" */
		l->t.type = T_REV;
		take_digits(l);
	} else {
		l->t.type = T_INVALID; /* not reached for checked input */
	}
}

static int blob_sort(const struct token *a, const struct token *b)
{
	size_t m = a->len < b->len ? a->len : b->len;
	int r = m ? memcmp(a->p, b->p, m) : 0;

	if (r)
		return v_sign(r);
	return a->len < b->len ? -1 : a->len > b->len;
}

static int num_cmp(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/*
 * A digit group after '.': when either starts with '0' apk-tools compares
 * the strings, else the numbers. Empty groups (apk-tools 2 only) read as
 * 0 there, above any group with a leading zero and below any other.
 */
static int digit_class(const struct token *t)
{
	if (!t->len)
		return 1;
	return t->p[0] == '0' ? 0 : 2;
}

static int token_cmp(const struct token *a, const struct token *b)
{
	int ca, cb;

	switch (a->type) {
	case T_DIGIT:
		ca = digit_class(a);
		cb = digit_class(b);
		if (ca != cb)
			return ca < cb ? -1 : 1;
		if (ca == 0)
			return blob_sort(a, b);
		return num_cmp(a->num, b->num);
	case T_INITIAL:
	case T_LDIGIT:
	case T_SUFFIX_NO:
	case T_REV:
		return num_cmp(a->num, b->num);
	case T_LETTER:
		return num_cmp((unsigned char)a->p[0], (unsigned char)b->p[0]);
	case T_SUFFIX:
		return num_cmp((uint64_t)a->suffix, (uint64_t)b->suffix);
	case T_HASH:
		return blob_sort(a, b);
	default:
		return 0;
	}
}

int drydock_apk_compare(const char *a, const char *b, int *out,
			struct drydock_err *err)
{
	/* zeroed: gcc -O3 cannot see that lex() sets suffix before use */
	struct lexer la = {0}, lb = {0};
	size_t an, bn;
	int r;

	r = apk_check(a, &an, 0, err);
	if (r < 0)
		return r;
	r = apk_check(b, &bn, 0, err);
	if (r < 0)
		return r;
	lex_first(&la, a, an);
	lex_first(&lb, b, bn);
	while (la.t.type == lb.t.type && la.t.type < T_END) {
		r = token_cmp(&la.t, &lb.t);
		if (r) {
			*out = r;
			return 0;
		}
		lex_next(&la);
		lex_next(&lb);
	}
	if (la.t.type == lb.t.type)
		r = 0;
	else if (la.t.type == T_SUFFIX && la.t.suffix < S_NONE)
		r = -1;
	else if (lb.t.type == T_SUFFIX && lb.t.suffix < S_NONE)
		r = 1;
	else
		r = la.t.type > lb.t.type ? -1 : 1;
	*out = r;
	return 0;
}
