#include "../util/setup.h"

#include <strings.h>

#include "drydock/match.h"

static const char *const names[] = {"unknown", "negligible", "low",
				    "medium",  "high",	     "critical"};

int drydock_severity_rank(const char *name)
{
	size_t i;

	if (!name)
		return 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(name, names[i]))
			return (int)i;
	/* vendor spellings */
	if (!strcasecmp(name, "moderate") || !strcasecmp(name, "important"))
		return !strcasecmp(name, "moderate") ? 3 : 4;
	if (!strcasecmp(name, "untriaged") || !strcasecmp(name, "none"))
		return 0;
	return -1;
}

const char *drydock_severity_name(int rank)
{
	if (rank < 0 || rank > 5)
		return "unknown";
	return names[rank];
}
