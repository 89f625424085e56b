/**
 * What MLflow 3.17.2's `SearchTraceUtils.parse_search_filter_for_search_traces` answers for each filter: the parsed
 * comparisons as [type, key, comparator as written, value], or the message of the error it raises. Recorded by running
 * the reference's parser on each string.
 */

/** Python prints sets in a per-process random order: messages are compared with their sets' items sorted. */
export const sortSets = (message: string) =>
  message.replace(/\{('[^{}]*')\}/g, (_, inner: string) => `{${inner.split(", ").sort().join(", ")}}`);

export type ParsedGolden = [string, string, string, string | number | string[] | null][] | { error: string };

export const TRACE_FILTER_GOLDEN: [string, ParsedGolden][] = [
  ["status = 'OK'", [["attribute", "status", "=", "OK"]]],
  ["trace.status = 'OK'", [["attribute", "status", "=", "OK"]]],
  ["attributes.status = 'OK'", [["attribute", "status", "=", "OK"]]],
  ["attribute.status != 'ERROR'", [["attribute", "status", "!=", "ERROR"]]],
  ["trace.status IN ('OK', 'ERROR')", [["attribute", "status", "IN", ["OK", "ERROR"]]]],
  ["status NOT IN ('OK')", [["attribute", "status", "NOT IN", ["OK"]]]],
  ["status LIKE 'O%'", [["attribute", "status", "LIKE", "O%"]]],
  ["status ILIKE 'o%'", [["attribute", "status", "ILIKE", "o%"]]],
  ["status RLIKE '^O'", [["attribute", "status", "RLIKE", "^O"]]],
  ["status > 'OK'", [["attribute", "status", ">", "OK"]]],
  [
    "status = 5",
    {
      error:
        "Only the '{'execution_time', 'timestamp_ms', 'timestamp', 'end_time', 'end_time_ms', 'execution_time_ms'}' attributes support comparison with numeric values.",
    },
  ],
  ["status IS NULL", [["attribute", "status", "IS NULL", null]]],
  ["timestamp > 100", [["attribute", "timestamp_ms", ">", 100]]],
  ["timestamp_ms > 100", [["attribute", "timestamp_ms", ">", 100]]],
  ["trace.timestamp >= 100", [["attribute", "timestamp_ms", ">=", 100]]],
  ["timestamp = 100", [["attribute", "timestamp_ms", "=", 100]]],
  ["timestamp != 100", [["attribute", "timestamp_ms", "!=", 100]]],
  ["timestamp > 1.5", { error: "Invalid clause(s) in filter string: 'timestamp', '>', '1.5', 'timestamp'" }],
  ["timestamp_ms > 1.5", [["attribute", "timestamp_ms", ">", 1.5]]],
  ["timestamp > '100'", { error: "Invalid clause(s) in filter string: 'timestamp', '>', ''100'', 'timestamp'" }],
  ["timestamp_ms = '100'", [["attribute", "timestamp_ms", "=", "100"]]],
  ["timestamp LIKE 100", { error: "Invalid clause(s) in filter string: 'timestamp', 'LIKE', '100', 'timestamp'" }],
  ["timestamp_ms LIKE 100", [["attribute", "timestamp_ms", "LIKE", 100]]],
  ["timestamp IN (1)", { error: "Invalid clause(s) in filter string: 'timestamp', 'IN', '(1)', 'timestamp'" }],
  ["timestamp IS NULL", { error: "Invalid clause(s) in filter string: 'timestamp', 'IS', 'NULL', 'timestamp'" }],
  ["timestamp_ms IS NULL", [["attribute", "timestamp_ms", "IS NULL", null]]],
  ["timestamp >", { error: "Invalid clause(s) in filter string: 'timestamp', '>'" }],
  ["timestamp", { error: "Invalid clause(s) in filter string: 'timestamp'" }],
  [
    "timestamp > 100 AND status = 'OK'",
    [
      ["attribute", "timestamp_ms", ">", 100],
      ["attribute", "status", "=", "OK"],
    ],
  ],
  [
    "status = 'OK' AND timestamp > 100",
    [
      ["attribute", "status", "=", "OK"],
      ["attribute", "timestamp_ms", ">", 100],
    ],
  ],
  ["timestamp > x", { error: "Invalid clause(s) in filter string: 'timestamp', '>', 'x', 'timestamp'" }],
  ["execution_time > 100", [["attribute", "execution_time_ms", ">", 100]]],
  ["execution_time_ms < 5.5", [["attribute", "execution_time_ms", "<", 5.5]]],
  ["end_time > 10", [["attribute", "end_time_ms", ">", 10]]],
  ["end_time_ms <= 10", [["attribute", "end_time_ms", "<=", 10]]],
  [
    "trace.execution_time_ms IN (1, 2)",
    {
      error:
        "Only attributes in {'client_request_id', 'name', 'request_id', 'run_id', 'status'} supports comparison with a list of quoted string values.",
    },
  ],
  ["request_id = 'tr-1'", [["attribute", "request_id", "=", "tr-1"]]],
  ["request_id IN ('a', 'b')", [["attribute", "request_id", "IN", ["a", "b"]]]],
  ["client_request_id = 'c'", [["attribute", "client_request_id", "=", "c"]]],
  ["client_request_id IN ('c')", [["attribute", "client_request_id", "IN", ["c"]]]],
  ["trace.client_request_id LIKE 'c%'", [["attribute", "client_request_id", "LIKE", "c%"]]],
  ["name = 'foo'", [["tag", "mlflow.traceName", "=", "foo"]]],
  ["trace.name = 'foo'", [["tag", "mlflow.traceName", "=", "foo"]]],
  ["name IN ('a', 'b')", [["tag", "mlflow.traceName", "IN", ["a", "b"]]]],
  ["name LIKE 'f%'", [["tag", "mlflow.traceName", "LIKE", "f%"]]],
  ["name != 'x'", [["tag", "mlflow.traceName", "!=", "x"]]],
  ["name IS NULL", [["tag", "mlflow.traceName", "IS NULL", null]]],
  ["name IS NOT NULL", [["tag", "mlflow.traceName", "IS NOT NULL", null]]],
  [
    "Name = 'x'",
    {
      error:
        "Invalid attribute key 'Name' specified. Valid keys are '{'text', 'timestamp_ms', 'name', 'execution_time', 'prompt', 'client_request_id', 'execution_time_ms', 'timestamp', 'end_time', 'request_id', 'end_time_ms', 'run_id', 'status'}'",
    },
  ],
  [
    "NAME = 'x'",
    {
      error:
        "Invalid attribute key 'NAME' specified. Valid keys are '{'text', 'timestamp_ms', 'name', 'execution_time', 'prompt', 'client_request_id', 'execution_time_ms', 'timestamp', 'end_time', 'request_id', 'end_time_ms', 'run_id', 'status'}'",
    },
  ],
  ["run_id = 'abc'", [["request_metadata", "mlflow.sourceRun", "=", "abc"]]],
  ["trace.run_id = 'abc'", [["request_metadata", "mlflow.sourceRun", "=", "abc"]]],
  ["run_id IN ('a')", [["request_metadata", "mlflow.sourceRun", "IN", ["a"]]]],
  ["run_id != 'a'", [["request_metadata", "mlflow.sourceRun", "!=", "a"]]],
  ["prompt = 'p/1'", [["tag", "mlflow.linkedPrompts", "=", "p/1"]]],
  ["prompt = 'p'", [["tag", "mlflow.linkedPrompts", "=", "p"]]],
  ["prompt LIKE 'p%'", [["tag", "mlflow.linkedPrompts", "LIKE", "p%"]]],
  ["trace.prompt = 'p/1'", [["tag", "mlflow.linkedPrompts", "=", "p/1"]]],
  ["text LIKE '%foo%'", { error: "Invalid clause(s) in filter string: 'text', 'LIKE', ''%foo%''" }],
  ["trace.text LIKE '%foo%'", [["span", "content", "LIKE", "%foo%"]]],
  ["trace.text ILIKE '%foo%'", [["span", "content", "ILIKE", "%foo%"]]],
  ["trace.text = 'foo'", [["span", "content", "=", "foo"]]],
  ["trace.text RLIKE 'foo'", [["span", "content", "RLIKE", "foo"]]],
  ["tags.env = 'prod'", [["tag", "env", "=", "prod"]]],
  ["tag.env = 'prod'", [["tag", "env", "=", "prod"]]],
  ["tags.`my key` = 'v'", [["tag", "my key", "=", "v"]]],
  ["tags.\"my key\" = 'v'", [["tag", "my key", "=", "v"]]],
  ["`tags`.env = 'v'", [["tag", "env", "=", "v"]]],
  ["tags.env LIKE 'p%'", [["tag", "env", "LIKE", "p%"]]],
  ["tags.env ILIKE 'P%'", [["tag", "env", "ILIKE", "P%"]]],
  ["tags.env RLIKE 'p.*'", [["tag", "env", "RLIKE", "p.*"]]],
  ["tags.env IN ('a', 'b')", [["tag", "env", "IN", ["a", "b"]]]],
  ["tags.env NOT IN ('a')", [["tag", "env", "NOT IN", ["a"]]]],
  ["tags.env > 'a'", [["tag", "env", ">", "a"]]],
  ["tags.env = 5", { error: "Expected a quoted string value for tag (e.g. 'my-value'). Got value 5" }],
  ["tags.env IS NULL", [["tag", "env", "IS NULL", null]]],
  ["tags.env IS NOT NULL", [["tag", "env", "IS NOT NULL", null]]],
  ["tags.mlflow.traceName = 'x'", [["tag", "mlflow.traceName", "=", "x"]]],
  ["tags.name = 'x'", [["tag", "mlflow.traceName", "=", "x"]]],
  [
    "tags.env = prod",
    {
      error:
        "Parameter value is either not quoted or unidentified quote types used for string value prod. Use either single or double quotes.",
    },
  ],
  ['tags.env = "prod"', [["tag", "env", "=", "prod"]]],
  [
    "tags.env = 'a' AND tags.env2 = 'b'",
    [
      ["tag", "env", "=", "a"],
      ["tag", "env2", "=", "b"],
    ],
  ],
  ["metadata.user = 'u'", [["request_metadata", "user", "=", "u"]]],
  ["request_metadata.user = 'u'", [["request_metadata", "user", "=", "u"]]],
  ["metadata.`mlflow.sourceRun` = 'r'", [["request_metadata", "mlflow.sourceRun", "=", "r"]]],
  ["metadata.mlflow.sourceRun = 'r'", [["request_metadata", "mlflow.sourceRun", "=", "r"]]],
  [
    "metadata.user IN ('a')",
    { error: "Expected a quoted string value for request_metadata (e.g. 'my-value'). Got value ('a')" },
  ],
  ["metadata.user > 'a'", [["request_metadata", "user", ">", "a"]]],
  ["metadata.user IS NULL", [["request_metadata", "user", "IS NULL", null]]],
  ["metadata.user IS NOT NULL", [["request_metadata", "user", "IS NOT NULL", null]]],
  [
    "metadata.user = 1",
    { error: "Expected a quoted string value for request_metadata (e.g. 'my-value'). Got value 1" },
  ],
  ["metadata.user LIKE 'u%'", [["request_metadata", "user", "LIKE", "u%"]]],
  ["metadata.user RLIKE 'u'", [["request_metadata", "user", "RLIKE", "u"]]],
  ["metadata.mlflow.trace.session = 's1'", [["request_metadata", "mlflow.trace.session", "=", "s1"]]],
  ["metadata.`mlflow.trace.session` = 's1'", [["request_metadata", "mlflow.trace.session", "=", "s1"]]],
  ["metadata.`mlflow.trace.tokenUsage` = '{}'", [["request_metadata", "mlflow.trace.tokenUsage", "=", "{}"]]],
  ["metadata.run_id = 'x'", [["request_metadata", "mlflow.sourceRun", "=", "x"]]],
  ["metadata.name = 'x'", [["tag", "mlflow.traceName", "=", "x"]]],
  ["span.name = 'llm'", [["span", "name", "=", "llm"]]],
  ["span.type = 'LLM'", [["span", "type", "=", "LLM"]]],
  ["span.status = 'OK'", [["span", "status", "=", "OK"]]],
  ["span.name IN ('a', 'b')", [["span", "name", "IN", ["a", "b"]]]],
  ["span.name LIKE 'l%'", [["span", "name", "LIKE", "l%"]]],
  [
    "span.name > 'a'",
    { error: "span.name comparator '>' not one of '{'!=', 'NOT IN', 'LIKE', 'IN', 'ILIKE', '=', 'RLIKE'}'" },
  ],
  ["span.name IS NULL", [["span", "name", "IS NULL", null]]],
  [
    "span.foo = 'x'",
    { error: "Invalid span attribute 'foo'. Supported attributes: name, status, type, attributes.<attribute_name>." },
  ],
  ["span.attributes.model = 'gpt'", [["span", "attributes.model", "=", "gpt"]]],
  ["span.attributes.model LIKE '%gpt%'", [["span", "attributes.model", "LIKE", "%gpt%"]]],
  ["span.attributes.`model.name` LIKE '%gpt%'", [["span", "attributes.`model.name`", "LIKE", "%gpt%"]]],
  ["span.attributes. = 'x'", { error: "Span attribute name cannot be empty after 'attributes.'" }],
  [
    "span.attributes.model > 'x'",
    {
      error: "span.attributes.model comparator '>' not one of '{'!=', 'NOT IN', 'LIKE', 'IN', 'ILIKE', '=', 'RLIKE'}'",
    },
  ],
  ["span.content LIKE '%x%'", [["span", "content", "LIKE", "%x%"]]],
  ["span.content ILIKE '%x%'", [["span", "content", "ILIKE", "%x%"]]],
  ["span.content = 'x'", { error: "span.content comparator '=' not one of '{'ILIKE', 'LIKE'}'" }],
  ["span.name = 5", { error: "Expected a quoted string value for span (e.g. 'my-value'). Got value 5" }],
  ["span.attributes.model IN ('a')", [["span", "attributes.model", "IN", ["a"]]]],
  [
    "span.name = 'a' AND span.type = 'LLM'",
    [
      ["span", "name", "=", "a"],
      ["span", "type", "=", "LLM"],
    ],
  ],
  ["feedback.quality = 'good'", [["feedback", "quality", "=", "good"]]],
  ["feedback.quality > 0.5", [["feedback", "quality", ">", 0.5]]],
  ["feedback.quality >= 1", [["feedback", "quality", ">=", 1]]],
  [
    "feedback.quality < 'a'",
    { error: "Expected a numeric value for feedback when using comparator '<'. Got value 'a'" },
  ],
  ["feedback.quality = 1", { error: "Expected a quoted string value for feedback (e.g. 'my-value'). Got value 1" }],
  ["feedback.quality = 1.5", { error: "Expected a quoted string value for feedback (e.g. 'my-value'). Got value 1.5" }],
  ["feedback.quality != 'bad'", [["feedback", "quality", "!=", "bad"]]],
  ["feedback.quality LIKE 'g%'", [["feedback", "quality", "LIKE", "g%"]]],
  ["feedback.quality IS NULL", [["feedback", "quality", "IS NULL", null]]],
  ["feedback.quality IS NOT NULL", [["feedback", "quality", "IS NOT NULL", null]]],
  [
    "feedback.quality IN ('a')",
    { error: "Expected a quoted string value for feedback (e.g. 'my-value'). Got value ('a')" },
  ],
  ["expectation.expected = 'yes'", [["expectation", "expected", "=", "yes"]]],
  ["expectation.expected > 3", [["expectation", "expected", ">", 3]]],
  ["feedback.`my score` > 3", [["feedback", "my score", ">", 3]]],
  ["feedback.quality = true", { error: "Invalid clause(s) in filter string: 'feedback.quality', '=', 'true'" }],
  ["feedback.quality = 'true'", [["feedback", "quality", "=", "true"]]],
  ["issue.id = 'iss-1'", [["issue", "id", "=", "iss-1"]]],
  ["issue.name = 'x'", [["tag", "mlflow.traceName", "=", "x"]]],
  ["issue.id != 'x'", [["issue", "id", "!=", "x"]]],
  ["issue.id = 5", { error: "Expected a quoted string value for issue (e.g. 'my-value'). Got value 5" }],
  [
    "foo = 'x'",
    {
      error:
        "Invalid attribute key 'foo' specified. Valid keys are '{'text', 'timestamp_ms', 'name', 'execution_time', 'prompt', 'client_request_id', 'execution_time_ms', 'timestamp', 'end_time', 'request_id', 'end_time_ms', 'run_id', 'status'}'",
    },
  ],
  [
    "attributes.foo = 'x'",
    {
      error:
        "Invalid attribute key 'foo' specified. Valid keys are '{'text', 'timestamp_ms', 'name', 'execution_time', 'prompt', 'client_request_id', 'execution_time_ms', 'timestamp', 'end_time', 'request_id', 'end_time_ms', 'run_id', 'status'}'",
    },
  ],
  [
    "metric.x > 1",
    {
      error:
        "Invalid entity type 'metric'. Valid values are {'tag', 'trace', 'expectation', 'tags', 'span', 'metadata', 'issue', 'attribute', 'attributes', 'feedback', 'request_metadata'}",
    },
  ],
  [
    "params.x = 'a'",
    {
      error:
        "Invalid entity type 'params'. Valid values are {'tag', 'trace', 'expectation', 'tags', 'span', 'metadata', 'issue', 'attribute', 'attributes', 'feedback', 'request_metadata'}",
    },
  ],
  [
    "trace.experiment_id = '1'",
    {
      error:
        "Invalid attribute key 'experiment_id' specified. Valid keys are '{'text', 'timestamp_ms', 'name', 'execution_time', 'prompt', 'client_request_id', 'execution_time_ms', 'timestamp', 'end_time', 'request_id', 'end_time_ms', 'run_id', 'status'}'",
    },
  ],
  ["status = 'OK' OR status = 'ERROR'", { error: "Invalid clause(s) in filter string: 'OR'" }],
  ["status = 'OK' AND", [["attribute", "status", "=", "OK"]]],
  ["(status = 'OK')", { error: "Invalid clause(s) in filter string: '(status = 'OK')'" }],
  [
    "status = 'OK'; status = 'x'",
    {
      error:
        "Search filter contained multiple expression \"status = 'OK'; status = 'x'\". Provide AND-ed expression list.",
    },
  ],
  ["", []],
  ["  ", { error: "Invalid filter '  '. Could not be parsed." }],
  [
    "status = 'OK' AND status = 'ERROR'",
    [
      ["attribute", "status", "=", "OK"],
      ["attribute", "status", "=", "ERROR"],
    ],
  ],
  [
    "tags.env = 'a' tags.b = 'c'",
    [
      ["tag", "env", "=", "a"],
      ["tag", "b", "=", "c"],
    ],
  ],
  ["status == 'OK'", [["attribute", "status", "==", "OK"]]],
  ["status <> 'OK'", [["attribute", "status", "<>", "OK"]]],
  ["1 = 1", { error: "Invalid comparison clause. Expected 'Identifier' found '1'" }],
  ["'a' = status", { error: "Invalid comparison clause. Expected 'Identifier' found ''a''" }],
  ["tags.env = ('a')", [["tag", "env", "=", ["a"]]]],
  [
    "status IN ()",
    { error: "While parsing a list in the query, expected a non-empty list of string values, but got empty list" },
  ],
  [
    "status IN (1, 2)",
    {
      error:
        "While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: (1, 2)",
    },
  ],
  [
    "trace.status = OK",
    {
      error:
        "Parameter value is either not quoted or unidentified quote types used for string value OK. Use either single or double quotes.",
    },
  ],
  ["status in ('OK')", [["attribute", "status", "in", ["OK"]]]],
  ["status not in ('OK')", [["attribute", "status", "NOT IN", ["OK"]]]],
  ["tags.env like 'a'", [["tag", "env", "like", "a"]]],
  ["tags.env is null", [["tag", "env", "IS NULL", null]]],
  [
    "STATUS = 'OK'",
    {
      error:
        "Invalid attribute key 'STATUS' specified. Valid keys are '{'text', 'timestamp_ms', 'name', 'execution_time', 'prompt', 'client_request_id', 'execution_time_ms', 'timestamp', 'end_time', 'request_id', 'end_time_ms', 'run_id', 'status'}'",
    },
  ],
  [
    "trace.STATUS = 'OK'",
    {
      error:
        "Invalid attribute key 'STATUS' specified. Valid keys are '{'text', 'timestamp_ms', 'name', 'execution_time', 'prompt', 'client_request_id', 'execution_time_ms', 'timestamp', 'end_time', 'request_id', 'end_time_ms', 'run_id', 'status'}'",
    },
  ],
  [
    "Trace.status = 'OK'",
    {
      error:
        "Invalid entity type 'Trace'. Valid values are {'tag', 'trace', 'expectation', 'tags', 'span', 'metadata', 'issue', 'attribute', 'attributes', 'feedback', 'request_metadata'}",
    },
  ],
  ["tags.env = 'it''s'", [["tag", "env", "=", "it''s"]]],
  ["tags.env = 'a\\'b'", [["tag", "env", "=", "a\\'b"]]],
  ["timestamp > -5", [["attribute", "timestamp_ms", ">", -5]]],
  ["timestamp_ms > 1e3", [["attribute", "timestamp_ms", ">", 1000.0]]],
  ["execution_time_ms = 0x10", { error: "Invalid clause(s) in filter string: 'execution_time_ms', '=', '0x10'" }],
  ["tags.`env` = 'x'", [["tag", "env", "=", "x"]]],
  [
    "`trace.status` = 'OK'",
    {
      error:
        "Invalid entity type '`trace'. Valid values are {'tag', 'trace', 'expectation', 'tags', 'span', 'metadata', 'issue', 'attribute', 'attributes', 'feedback', 'request_metadata'}",
    },
  ],
  [
    "span.NAME = 'x'",
    { error: "Invalid span attribute 'NAME'. Supported attributes: name, status, type, attributes.<attribute_name>." },
  ],
  ["span.attributes.x = 5", { error: "Expected a quoted string value for span (e.g. 'my-value'). Got value 5" }],
  ["feedback. = 'x'", [["feedback", "", "=", "x"]]],
  ["feedback.quality", { error: "Invalid clause(s) in filter string: 'feedback.quality'" }],
  [
    "trace.timestamp_ms > 100 AND trace.timestamp_ms < 200",
    [
      ["attribute", "timestamp_ms", ">", 100],
      ["attribute", "timestamp_ms", "<", 200],
    ],
  ],
  ["tags.NAME = 'x'", [["tag", "mlflow.traceName", "=", "x"]]],
  ["tags.Name = 'x'", [["tag", "mlflow.traceName", "=", "x"]]],
  ["feedback.name = 'x'", [["tag", "mlflow.traceName", "=", "x"]]],
  ["tags.timestamp = 'x'", [["tag", "timestamp_ms", "=", "x"]]],
  ["tags.execution_time = 'x'", [["tag", "execution_time_ms", "=", "x"]]],
  ["metadata.RUN_ID = 'x'", [["request_metadata", "mlflow.sourceRun", "=", "x"]]],
  ["span.name = 'x'", [["span", "name", "=", "x"]]],
  [
    "span.text LIKE 'x'",
    { error: "Invalid span attribute 'text'. Supported attributes: name, status, type, attributes.<attribute_name>." },
  ],
  ["attributes.name = 'x'", [["tag", "mlflow.traceName", "=", "x"]]],
  ["attribute.text LIKE '%a%'", [["span", "content", "LIKE", "%a%"]]],
  [
    "trace.prompt IN ('a/1')",
    {
      error:
        "Only attributes in {'status', 'client_request_id', 'name', 'run_id', 'request_id'} supports comparison with a list of quoted string values.",
    },
  ],
  [
    "prompt IN ('a/1')",
    {
      error:
        "Only attributes in {'status', 'client_request_id', 'name', 'run_id', 'request_id'} supports comparison with a list of quoted string values.",
    },
  ],
  ["tags.`a.b` = 'c'", [["tag", "a.b", "=", "c"]]],
  ["tags.a.b.c = 'd'", [["tag", "a.b.c", "=", "d"]]],
  ["tags.'a b' = 'c'", [["tag", "a b", "=", "c"]]],
  ["tags.\"a.b\" = 'c'", [["tag", "a.b", "=", "c"]]],
  [
    "`tags.a` = 'b'",
    {
      error:
        "Invalid entity type '`tags'. Valid values are {'span', 'feedback', 'tags', 'metadata', 'attributes', 'attribute', 'trace', 'request_metadata', 'expectation', 'issue', 'tag'}",
    },
  ],
  [
    "tags . a = 'b'",
    {
      error:
        "Invalid entity type 'tags '. Valid values are {'span', 'feedback', 'tags', 'metadata', 'attributes', 'attribute', 'trace', 'request_metadata', 'expectation', 'issue', 'tag'}",
    },
  ],
  ["tags.a = 'b' AND", [["tag", "a", "=", "b"]]],
  ["AND tags.a = 'b'", [["tag", "a", "=", "b"]]],
  [
    "tags.a = 'b' AND AND tags.c = 'd'",
    [
      ["tag", "a", "=", "b"],
      ["tag", "c", "=", "d"],
    ],
  ],
  [
    "tags.a = 'b' and tags.c = 'd'",
    [
      ["tag", "a", "=", "b"],
      ["tag", "c", "=", "d"],
    ],
  ],
  ["tags.a='b'", [["tag", "a", "=", "b"]]],
  ["status='OK'", [["attribute", "status", "=", "OK"]]],
  ["timestamp>1", [["attribute", "timestamp_ms", ">", 1]]],
  ["timestamp_ms>=1", [["attribute", "timestamp_ms", ">=", 1]]],
  ["timestamp >= -1", [["attribute", "timestamp_ms", ">=", -1]]],
  ["timestamp < 99999999999999", [["attribute", "timestamp_ms", "<", 99999999999999]]],
  [
    "timestamp_ms > 1 AND timestamp < 5",
    [
      ["attribute", "timestamp_ms", ">", 1],
      ["attribute", "timestamp_ms", "<", 5],
    ],
  ],
  [
    "timestamp = 1 AND timestamp = 2",
    [
      ["attribute", "timestamp_ms", "=", 1],
      ["attribute", "timestamp_ms", "=", 2],
    ],
  ],
  ["trace.timestamp = 1", [["attribute", "timestamp_ms", "=", 1]]],
  [
    "timestamp_ms BETWEEN 1 AND 2",
    { error: "Invalid clause(s) in filter string: 'timestamp_ms', 'BETWEEN', '1', '2'" },
  ],
  ["status IN ('OK','ERROR')", [["attribute", "status", "IN", ["OK", "ERROR"]]]],
  ["status IN ( 'OK' )", [["attribute", "status", "IN", ["OK"]]]],
  ['status IN ("OK")', [["attribute", "status", "IN", ["OK"]]]],
  [
    "status IN ('OK', 1)",
    {
      error:
        "While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: ('OK', 1)",
    },
  ],
  ["status IN ('OK',)", [["attribute", "status", "IN", ["OK"]]]],
  ["status NOT  IN ('OK')", [["attribute", "status", "NOT IN", ["OK"]]]],
  ["status not IN ('OK')", [["attribute", "status", "NOT IN", ["OK"]]]],
  ["tags.a IS  NULL", [["tag", "a", "IS NULL", null]]],
  ["tags.a IS NOT  NULL", { error: "Invalid clause(s) in filter string: 'tags.a', 'IS', 'NOT  NULL'" }],
  ["tags.a is not null", [["tag", "a", "IS NOT NULL", null]]],
  ["tags.a = NULL", { error: "Expected a quoted string value for tag (e.g. 'my-value'). Got value NULL" }],
  ["tags.a != ''", [["tag", "a", "!=", ""]]],
  ["tags.a = ''", [["tag", "a", "=", ""]]],
  ["tags.a LIKE '%\\_%'", [["tag", "a", "LIKE", "%\\_%"]]],
  ["tags.a = 'é'", [["tag", "a", "=", "é"]]],
  ["tags.é = 'x'", [["tag", "é", "=", "x"]]],
  ["feedback.x >= -0.5", [["feedback", "x", ">=", -0.5]]],
  ["feedback.x > 1e2", [["feedback", "x", ">", 100.0]]],
  ["feedback.x LIKE 5", { error: "Expected a quoted string value for feedback (e.g. 'my-value'). Got value 5" }],
  [
    "feedback.x IS NULL AND feedback.y IS NOT NULL",
    [
      ["feedback", "x", "IS NULL", null],
      ["feedback", "y", "IS NOT NULL", null],
    ],
  ],
  ["expectation.x != 'y'", [["expectation", "x", "!=", "y"]]],
  ["feedback.`a b`.c = 'x'", [["feedback", "`a b`.c", "=", "x"]]],
  ["span.attributes.a.b = 'x'", [["span", "attributes.a.b", "=", "x"]]],
  ["span.attributes.`a.b` = 'x'", [["span", "attributes.`a.b`", "=", "x"]]],
  ["span.type IN ('LLM', 'TOOL')", [["span", "type", "IN", ["LLM", "TOOL"]]]],
  ["span.status NOT IN ('OK')", [["span", "status", "NOT IN", ["OK"]]]],
  ["span.content like '%x%'", { error: "span.content comparator 'like' not one of '{'ILIKE', 'LIKE'}'" }],
  [
    "span.name in ('a')",
    { error: "span.name comparator 'in' not one of '{'RLIKE', '!=', 'ILIKE', 'NOT IN', '=', 'IN', 'LIKE'}'" },
  ],
  ['issue.id = "x"', [["issue", "id", "=", "x"]]],
  ["issue.ID = 'x'", [["issue", "ID", "=", "x"]]],
  ["issue.id IS NULL", [["issue", "id", "IS NULL", null]]],
  ["span.name = 'a' OR span.name = 'b'", { error: "Invalid clause(s) in filter string: 'OR'" }],
  ["tags.a = 'b' -- comment", { error: "Invalid clause(s) in filter string: '-- comment'" }],
  ["tags.a = 'b' /* c */", { error: "Invalid clause(s) in filter string: '/* c */'" }],
  ["tags.a = 'b';", { error: "Invalid clause(s) in filter string: ';'" }],
  [
    "request_id = 'tr-1' AND client_request_id = 'c'",
    [
      ["attribute", "request_id", "=", "tr-1"],
      ["attribute", "client_request_id", "=", "c"],
    ],
  ],
  ["end_time >= 1.5", [["attribute", "end_time_ms", ">=", 1.5]]],
  ["execution_time_ms != -1", [["attribute", "execution_time_ms", "!=", -1]]],
  [
    "tags.x = 'a' AND metadata.y = 'b' AND span.name = 'c' AND feedback.d > 1",
    [
      ["tag", "x", "=", "a"],
      ["request_metadata", "y", "=", "b"],
      ["span", "name", "=", "c"],
      ["feedback", "d", ">", 1],
    ],
  ],
  [
    "name LIKE 'a' AND name LIKE 'b'",
    [
      ["tag", "mlflow.traceName", "LIKE", "a"],
      ["tag", "mlflow.traceName", "LIKE", "b"],
    ],
  ],
  [
    "run_id = 'a' AND run_id = 'b'",
    [
      ["request_metadata", "mlflow.sourceRun", "=", "a"],
      ["request_metadata", "mlflow.sourceRun", "=", "b"],
    ],
  ],
  ["text = 'x'", { error: "Invalid clause(s) in filter string: 'text', '=', ''x''" }],
  [
    "trace.text IN ('a')",
    {
      error:
        "Only attributes in {'status', 'client_request_id', 'name', 'run_id', 'request_id'} supports comparison with a list of quoted string values.",
    },
  ],
  ["trace.text IS NULL", [["span", "content", "IS NULL", null]]],
  ["metadata.`mlflow.trace.cost` LIKE 'x'", [["request_metadata", "mlflow.trace.cost", "LIKE", "x"]]],
  ["tags.a = 'b' tags", { error: "Invalid clause(s) in filter string: 'tags.a = 'b' tags'" }],
  ["tags.a b = 'c'", { error: "Invalid clause(s) in filter string: 'tags.a'" }],
  ["tags.my-key = 'x'", { error: "Invalid clause(s) in filter string: 'tags.my', '-', 'key', '=', ''x''" }],
  ["tags.`my-key` = 'x'", [["tag", "my-key", "=", "x"]]],
  [
    "tags.a = b.c",
    {
      error:
        "Parameter value is either not quoted or unidentified quote types used for string value b.c. Use either single or double quotes.",
    },
  ],
  [
    'tags.a = "b" AND tags.c = "d"',
    [
      ["tag", "a", "=", "b"],
      ["tag", "c", "=", "d"],
    ],
  ],
  ["status = ''", [["attribute", "status", "=", ""]]],
  ['status = ""', [["attribute", "status", "=", ""]]],
];
