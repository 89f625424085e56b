/**
 * The search_traces fixture and what MLflow 3.17.2's SqlAlchemyStore.search_traces returned over it (trace ids in
 * order, or the error message), recorded on a reference SQLite store holding the same traces. "RUN" stands for the
 * run id the fixture links traces to.
 */

export interface FixtureSpan {
  name: string;
  type: string;
  status: string;
  /** The span as the reference stores it (Span.to_dict() as JSON). */
  content: string;
}

export interface FixtureAssessment {
  type: "feedback" | "expectation" | "issue";
  name: string;
  value?: unknown;
  metadata?: Record<string, string>;
  invalid?: boolean;
}

export interface FixtureTrace {
  id: string;
  exp: number;
  ts: number;
  exec?: number | null;
  state: string;
  name?: string;
  client?: string;
  tags?: Record<string, string>;
  metadata?: Record<string, string>;
  spans?: FixtureSpan[];
  assessments?: FixtureAssessment[];
  prompts?: string[];
  linked_run?: boolean;
}

export interface GoldenQuery {
  filter?: string;
  order_by?: string[];
  exp?: (number | string)[];
  max?: number;
  token?: string;
}

export const TRACE_FIXTURE: FixtureTrace[] = [
  {
    id: "tr-01",
    exp: 1,
    ts: 1000,
    exec: 100,
    state: "OK",
    name: "chat",
    client: "c1",
    tags: {
      env: "prod",
    },
    metadata: {
      user: "alice",
      "mlflow.sourceRun": "RUN",
      "mlflow.trace.session": "s1",
    },
    spans: [
      {
        name: "chat",
        type: "CHAIN",
        status: "OK",
        content:
          '{"trace_id": "AAAA", "span_id": "BBBB", "parent_span_id": "", "name": "chat", "start_time_unix_nano": 1, "end_time_unix_nano": 2, "attributes": {"mlflow.spanType": "\\"CHAIN\\"", "model": "\\"gpt-4\\"", "mlflow.spanInputs": "{\\"q\\": \\"hello world\\"}"}, "status": {"message": "", "code": "STATUS_CODE_OK"}, "events": []}',
      },
    ],
    assessments: [
      {
        type: "feedback",
        name: "quality",
        value: 0.9,
      },
      {
        type: "expectation",
        name: "expected",
        value: "yes",
      },
      {
        type: "feedback",
        name: "session_quality",
        value: "great",
        metadata: {
          "mlflow.trace.session": "s1",
        },
      },
    ],
  },
  {
    id: "tr-02",
    exp: 1,
    ts: 2000,
    exec: 50,
    state: "ERROR",
    name: "search",
    client: "c2",
    tags: {
      env: "dev",
    },
    metadata: {
      user: "bob",
    },
    spans: [
      {
        name: "retrieve",
        type: "RETRIEVER",
        status: "ERROR",
        content:
          '{"trace_id": "AAAA", "span_id": "BBBB", "parent_span_id": "", "name": "retrieve", "start_time_unix_nano": 1, "end_time_unix_nano": 2, "attributes": {"mlflow.spanType": "\\"RETRIEVER\\"", "k": "3"}, "status": {"message": "", "code": "STATUS_CODE_ERROR"}, "events": []}',
      },
      {
        name: "llm",
        type: "LLM",
        status: "OK",
        content:
          '{"trace_id": "AAAA", "span_id": "BBBB", "parent_span_id": "", "name": "llm", "start_time_unix_nano": 1, "end_time_unix_nano": 2, "attributes": {"mlflow.spanType": "\\"LLM\\"", "model": "\\"claude\\""}, "status": {"message": "", "code": "STATUS_CODE_OK"}, "events": []}',
      },
    ],
    assessments: [
      {
        type: "feedback",
        name: "quality",
        value: true,
      },
      {
        type: "feedback",
        name: "tone",
        value: "good",
      },
      {
        type: "issue",
        name: "iss-1",
      },
    ],
  },
  {
    id: "tr-03",
    exp: 1,
    ts: 2000,
    exec: null,
    state: "IN_PROGRESS",
    tags: {
      env: "prod",
      "my key": "v",
    },
    linked_run: true,
    assessments: [
      {
        type: "feedback",
        name: "quality",
        value: 0.2,
        invalid: true,
      },
      {
        type: "feedback",
        name: "tone",
        value: "bad",
      },
    ],
  },
  {
    id: "tr-04",
    exp: 1,
    ts: 3000,
    exec: 10,
    state: "OK",
    name: "chat",
    tags: {
      env: "PROD",
    },
    metadata: {
      user: "carol",
      "mlflow.trace.session": "s1",
      "mlflow.trace.tokenUsage": '{"input_tokens": 10, "output_tokens": 5, "total_tokens": 15}',
    },
    spans: [
      {
        name: "llm",
        type: "LLM",
        status: "OK",
        content:
          '{"trace_id": "AAAA", "span_id": "BBBB", "parent_span_id": "", "name": "llm", "start_time_unix_nano": 1, "end_time_unix_nano": 2, "attributes": {"mlflow.spanType": "\\"LLM\\"", "model": "\\"gpt-4o\\"", "mlflow.spanOutputs": "\\"Hello wörld\\""}, "status": {"message": "", "code": "STATUS_CODE_OK"}, "events": []}',
      },
    ],
  },
  {
    id: "tr-05",
    exp: 1,
    ts: 500,
    exec: 5,
    state: "OK",
    name: "Chat",
    prompts: ["p/1"],
    metadata: {
      "mlflow.trace.session": "s2",
      user: "alice",
    },
    assessments: [
      {
        type: "feedback",
        name: "quality",
        value: 5,
      },
      {
        type: "expectation",
        name: "expected",
        value: "no",
      },
    ],
  },
  {
    id: "tr-06",
    exp: 2,
    ts: 4000,
    exec: 1,
    state: "OK",
    name: "chat",
    tags: {
      env: "prod",
    },
  },
  {
    id: "tr-07",
    exp: 1,
    ts: 2000,
    exec: 100,
    state: "OK",
    name: "zeta",
    tags: {
      env2: "x",
    },
    assessments: [
      {
        type: "feedback",
        name: "quality",
        value: "yes",
      },
    ],
    metadata: {
      "mlflow.trace.tokenUsage": '{"input_tokens": 1}',
    },
  },
  {
    id: "tr-00",
    exp: 1,
    ts: 2000,
    exec: 7,
    state: "OK",
    name: "alpha",
    client: "c1",
    tags: {
      env: "prod%",
    },
  },
];

export const TRACE_SEARCH_GOLDEN: [GoldenQuery, string[] | { error: string }][] = [
  [{ filter: "" }, ["tr-04", "tr-00", "tr-02", "tr-03", "tr-07", "tr-01", "tr-05"]],
  [{ filter: "status = 'OK'" }, ["tr-04", "tr-00", "tr-07", "tr-01", "tr-05"]],
  [{ filter: "trace.status != 'OK'" }, ["tr-02", "tr-03"]],
  [{ filter: "status IN ('OK', 'ERROR')" }, ["tr-04", "tr-00", "tr-02", "tr-07", "tr-01", "tr-05"]],
  [{ filter: "status NOT IN ('OK')" }, ["tr-02", "tr-03"]],
  [{ filter: "status LIKE 'O%'" }, ["tr-04", "tr-00", "tr-07", "tr-01", "tr-05"]],
  [{ filter: "status ILIKE 'o%'" }, ["tr-04", "tr-00", "tr-07", "tr-01", "tr-05"]],
  [{ filter: "status RLIKE '^ER'" }, ["tr-02"]],
  [
    { filter: "status > 'OK'" },
    { error: "Invalid comparator '>' not one of '{'NOT IN', 'RLIKE', 'ILIKE', '=', 'IN', 'LIKE', '!='}'" },
  ],
  [
    { filter: "status == 'OK'" },
    { error: "Invalid comparator '==' not one of '{'NOT IN', 'RLIKE', 'ILIKE', '=', 'IN', 'LIKE', '!='}'" },
  ],
  [
    { filter: "status <> 'OK'" },
    { error: "Invalid comparator '<>' not one of '{'NOT IN', 'RLIKE', 'ILIKE', '=', 'IN', 'LIKE', '!='}'" },
  ],
  [
    { filter: "status IS NULL" },
    { error: "Invalid comparator 'IS NULL' not one of '{'NOT IN', 'RLIKE', 'ILIKE', '=', 'IN', 'LIKE', '!='}'" },
  ],
  [{ filter: "timestamp > 1000" }, ["tr-04", "tr-00", "tr-02", "tr-03", "tr-07"]],
  [{ filter: "timestamp_ms >= 2000" }, ["tr-04", "tr-00", "tr-02", "tr-03", "tr-07"]],
  [{ filter: "timestamp = 2000" }, ["tr-00", "tr-02", "tr-03", "tr-07"]],
  [{ filter: "timestamp_ms < 1000.5" }, ["tr-01", "tr-05"]],
  [{ filter: "timestamp_ms = '2000'" }, ["tr-00", "tr-02", "tr-03", "tr-07"]],
  [
    { filter: "timestamp_ms LIKE 100" },
    { error: "Invalid comparator 'LIKE' not one of '{'NOT IN', 'RLIKE', 'ILIKE', '=', 'IN', 'LIKE', '!='}" },
  ],
  [
    { filter: "timestamp_ms IS NULL" },
    { error: "Invalid comparator 'IS NULL' not one of '{'NOT IN', 'RLIKE', 'ILIKE', '=', 'IN', 'LIKE', '!='}" },
  ],
  [{ filter: "execution_time > 50" }, ["tr-07", "tr-01"]],
  [{ filter: "execution_time_ms != 100" }, ["tr-04", "tr-00", "tr-02", "tr-05"]],
  [
    { filter: "execution_time_ms IS NULL" },
    { error: "Invalid comparator 'IS NULL' not one of '{'NOT IN', 'RLIKE', 'ILIKE', '=', 'IN', 'LIKE', '!='}" },
  ],
  [{ filter: "end_time > 2000" }, ["tr-04", "tr-00", "tr-02", "tr-07"]],
  [{ filter: "end_time_ms <= 1100" }, ["tr-01", "tr-05"]],
  [{ filter: "end_time_ms = 2000" }, ["tr-03"]],
  [{ filter: "request_id = 'tr-01'" }, ["tr-01"]],
  [{ filter: "request_id IN ('tr-01', 'tr-02')" }, ["tr-02", "tr-01"]],
  [{ filter: "request_id LIKE 'tr-0%'" }, ["tr-04", "tr-00", "tr-02", "tr-03", "tr-07", "tr-01", "tr-05"]],
  [{ filter: "client_request_id = 'c1'" }, ["tr-00", "tr-01"]],
  [{ filter: "client_request_id IN ('c1', 'c2')" }, ["tr-00", "tr-02", "tr-01"]],
  [{ filter: "client_request_id != 'c1'" }, ["tr-02"]],
  [{ filter: "name = 'chat'" }, ["tr-04", "tr-01"]],
  [{ filter: "name != 'chat'" }, ["tr-00", "tr-02", "tr-07", "tr-05"]],
  [
    { filter: "name IN ('chat', 'zeta')" },
    { error: "Invalid comparator 'IN' not one of '{'!=', 'IS NOT NULL', 'RLIKE', 'IS NULL', '=', 'LIKE', 'ILIKE'}" },
  ],
  [
    { filter: "name NOT IN ('chat')" },
    {
      error: "Invalid comparator 'NOT IN' not one of '{'!=', 'IS NOT NULL', 'RLIKE', 'IS NULL', '=', 'LIKE', 'ILIKE'}",
    },
  ],
  [{ filter: "name LIKE 'c%'" }, ["tr-04", "tr-01"]],
  [{ filter: "name ILIKE 'c%'" }, ["tr-04", "tr-01", "tr-05"]],
  [{ filter: "name RLIKE 'a$'" }, ["tr-00", "tr-07"]],
  [{ filter: "name IS NULL" }, ["tr-03"]],
  [{ filter: "name IS NOT NULL" }, ["tr-04", "tr-00", "tr-02", "tr-07", "tr-01", "tr-05"]],
  [
    { filter: "name > 'b'" },
    { error: "Invalid comparator '>' not one of '{'!=', 'IS NOT NULL', 'RLIKE', 'IS NULL', '=', 'LIKE', 'ILIKE'}" },
  ],
  [{ filter: "run_id = 'RUN'" }, ["tr-03", "tr-01"]],
  [{ filter: "run_id != 'RUN'" }, []],
  [
    { filter: "run_id IN ('RUN')" },
    { error: "Invalid comparator 'IN' not one of '{'!=', 'IS NOT NULL', 'RLIKE', 'IS NULL', '=', 'LIKE', 'ILIKE'}'" },
  ],
  [{ filter: "run_id LIKE '%'" }, ["tr-01"]],
  [{ filter: "metadata.mlflow.sourceRun = 'RUN'" }, ["tr-03", "tr-01"]],
  [{ filter: "prompt = 'p/1'" }, ["tr-05"]],
  [{ filter: "prompt = 'p/2'" }, []],
  [
    { filter: "prompt = 'p'" },
    { error: "Invalid prompts filter value 'p'. Expected format: prompt = \"name/version\"" },
  ],
  [
    { filter: "prompt LIKE 'p%'" },
    {
      error:
        "Invalid comparator 'LIKE' for prompts filter. Only '=' is supported with format: prompt = \"name/version\"",
    },
  ],
  [
    { filter: "prompt != 'p/1'" },
    {
      error: "Invalid comparator '!=' for prompts filter. Only '=' is supported with format: prompt = \"name/version\"",
    },
  ],
  [{ filter: "trace.text LIKE '%hello%'" }, ["tr-01"]],
  [{ filter: "trace.text ILIKE '%HELLO%'" }, ["tr-04", "tr-01"]],
  [{ filter: "trace.text LIKE '%wörld%'" }, ["tr-04"]],
  [{ filter: "trace.text = 'x'" }, { error: "span.content comparator '=' not one of '{'LIKE', 'ILIKE'}'" }],
  [
    { filter: "trace.text RLIKE 'gpt-4o'" },
    { error: "span.content comparator 'RLIKE' not one of '{'LIKE', 'ILIKE'}'" },
  ],
  [{ filter: "tags.env = 'prod'" }, ["tr-03", "tr-01"]],
  [{ filter: "tags.env != 'prod'" }, ["tr-04", "tr-00", "tr-02"]],
  [{ filter: "tags.env LIKE 'prod%'" }, ["tr-00", "tr-03", "tr-01"]],
  [{ filter: "tags.env LIKE 'p_od'" }, ["tr-03", "tr-01"]],
  [{ filter: "tags.env ILIKE 'prod'" }, ["tr-04", "tr-03", "tr-01"]],
  [{ filter: "tags.env RLIKE '^pr'" }, ["tr-00", "tr-03", "tr-01"]],
  [
    { filter: "tags.env IN ('prod', 'dev')" },
    { error: "Invalid comparator 'IN' not one of '{'!=', 'IS NOT NULL', 'RLIKE', 'IS NULL', '=', 'LIKE', 'ILIKE'}" },
  ],
  [
    { filter: "tags.env NOT IN ('prod')" },
    {
      error: "Invalid comparator 'NOT IN' not one of '{'!=', 'IS NOT NULL', 'RLIKE', 'IS NULL', '=', 'LIKE', 'ILIKE'}",
    },
  ],
  [{ filter: "tags.env IS NULL" }, ["tr-07", "tr-05"]],
  [{ filter: "tags.env IS NOT NULL" }, ["tr-04", "tr-00", "tr-02", "tr-03", "tr-01"]],
  [
    { filter: "tags.env > 'a'" },
    { error: "Invalid comparator '>' not one of '{'!=', 'IS NOT NULL', 'RLIKE', 'IS NULL', '=', 'LIKE', 'ILIKE'}" },
  ],
  [{ filter: "tags.`my key` = 'v'" }, ["tr-03"]],
  [
    { filter: "tags.env = ('prod')" },
    {
      error:
        "(sqlite3.ProgrammingError) Error binding parameter 2: type 'tuple' is not supported\n[SQL: SELECT trace_info.request_id AS trace_info_request_id, trace_info.experiment_id AS trace_info_experiment_id, trace_info.timestamp_ms AS trace_info_timestamp_ms, trace_info.execution_time_ms AS trace_info_execution_time_ms, trace_info.status AS trace_info_status, trace_info.client_request_id AS trace_info_client_request_id, trace_info.request_preview AS trace_info_request_preview, trace_info.response_preview AS trace_info_response_preview, trace_info.db_payload_generation AS trace_info_db_payload_generation, trace_info.trace_name AS trace_info_trace_name, trace_info.session_id AS trace_info_session_id, trace_info.input_tokens AS trace_info_input_tokens, trace_info.output_tokens AS trace_info_output_tokens, trace_info.total_tokens AS trace_info_total_tokens, trace_info.cache_read_input_tokens AS trace_info_cache_read_input_tokens, trace_info.cache_creation_input_tokens AS trace_info_cache_creation_input_tokens, trace_info.cache_creation_input_tokens_above_1hr AS trace_info_cache_creation_input_tokens_above_1hr, trace_info.input_cost AS trace_info_input_cost, trace_info.output_cost AS trace_info_output_cost, trace_info.total_cost AS trace_info_total_cost \nFROM trace_info JOIN (SELECT trace_tags.\"key\" AS \"key\", trace_tags.value AS value, trace_tags.request_id AS request_id \nFROM trace_tags \nWHERE trace_tags.\"key\" = ? AND trace_tags.value = ?) AS anon_1 ON trace_info.request_id = anon_1.request_id \nWHERE trace_info.experiment_id IN (?) ORDER BY trace_info.timestamp_ms DESC, trace_info.request_id\n LIMIT ? OFFSET ?]\n[parameters: ('env', ('prod',), 1, 100, 0)]\n(Background on this error at: https://sqlalche.me/e/21/f405)",
    },
  ],
  [{ filter: "tags.env = 'prod' AND status = 'OK'" }, ["tr-01"]],
  [{ filter: "tags.mlflow.traceName = 'chat'" }, ["tr-04", "tr-01"]],
  [{ filter: "metadata.user = 'alice'" }, ["tr-01", "tr-05"]],
  [{ filter: "metadata.user != 'alice'" }, ["tr-04", "tr-02"]],
  [{ filter: "metadata.user LIKE 'a%'" }, ["tr-01", "tr-05"]],
  [{ filter: "metadata.user IS NULL" }, ["tr-00", "tr-03", "tr-07"]],
  [{ filter: "metadata.user IS NOT NULL" }, ["tr-04", "tr-02", "tr-01", "tr-05"]],
  [
    { filter: "metadata.user > 'b'" },
    { error: "Invalid comparator '>' not one of '{'!=', 'IS NOT NULL', 'RLIKE', 'IS NULL', '=', 'LIKE', 'ILIKE'}'" },
  ],
  [{ filter: "metadata.user RLIKE 'o'" }, ["tr-04", "tr-02"]],
  [{ filter: "metadata.`mlflow.trace.session` = 's1'" }, ["tr-04", "tr-01"]],
  [{ filter: "metadata.`mlflow.trace.session` IS NULL" }, ["tr-00", "tr-02", "tr-03", "tr-07"]],
  [{ filter: "metadata.`mlflow.trace.session` LIKE 's%'" }, ["tr-04", "tr-01", "tr-05"]],
  [{ filter: "metadata.`mlflow.trace.session` != 's1'" }, ["tr-05"]],
  [{ filter: "metadata.`mlflow.trace.tokenUsage` IS NULL" }, ["tr-00", "tr-02", "tr-03", "tr-01", "tr-05"]],
  [
    { filter: "metadata.`mlflow.trace.tokenUsage` LIKE 'x'" },
    {
      error:
        "Comparator 'LIKE' is not supported for reserved metadata 'mlflow.trace.tokenUsage'. Only '=', '!=', 'IS NULL', and 'IS NOT NULL' are supported.",
    },
  ],
  [{ filter: "span.name = 'llm'" }, ["tr-04", "tr-02"]],
  [{ filter: "span.name != 'llm'" }, ["tr-02", "tr-01"]],
  [{ filter: "span.type = 'LLM'" }, ["tr-04", "tr-02"]],
  [{ filter: "span.status = 'ERROR'" }, ["tr-02"]],
  [{ filter: "span.name IN ('chat', 'retrieve')" }, ["tr-02", "tr-01"]],
  [{ filter: "span.name NOT IN ('llm')" }, ["tr-02", "tr-01"]],
  [{ filter: "span.name LIKE 'l%'" }, ["tr-04", "tr-02"]],
  [{ filter: "span.name ILIKE 'L%'" }, ["tr-04", "tr-02"]],
  [{ filter: "span.name RLIKE '^re'" }, ["tr-02"]],
  [
    { filter: "span.name IS NULL" },
    { error: "span.name comparator 'IS NULL' not one of '{'NOT IN', 'RLIKE', 'ILIKE', '=', 'IN', 'LIKE', '!='}'" },
  ],
  [{ filter: "span.name = 'llm' AND span.type = 'LLM'" }, ["tr-04", "tr-02"]],
  [{ filter: "span.name = 'retrieve' AND span.status = 'OK'" }, []],
  [{ filter: "span.type = 'LLM' AND span.status = 'OK'" }, ["tr-04", "tr-02"]],
  [{ filter: "span.attributes.model LIKE '%gpt%'" }, ["tr-04", "tr-01"]],
  [{ filter: "span.attributes.model = '%gpt%'" }, []],
  [{ filter: "span.attributes.model ILIKE '%GPT-4%'" }, ["tr-04", "tr-01"]],
  [{ filter: "span.attributes.model RLIKE 'gpt'" }, ["tr-04", "tr-01"]],
  [{ filter: "span.attributes.model RLIKE '^gpt-4$'" }, ["tr-01"]],
  [{ filter: "span.attributes.model RLIKE '^claude'" }, ["tr-02"]],
  [
    { filter: "span.attributes.model IN ('a')" },
    { error: "IN expression list, SELECT construct, or bound parameter object expected, got '%\"model\"(\\'a\\',)%'." },
  ],
  [{ filter: "span.content LIKE '%gpt-4o%'" }, ["tr-04"]],
  [{ filter: "span.content ILIKE '%GPT%'" }, ["tr-04", "tr-01"]],
  [{ filter: "span.attributes.k LIKE '%3%'" }, ["tr-02"]],
  [{ filter: "feedback.quality = 'yes'" }, ["tr-07"]],
  [{ filter: "feedback.quality = 'true'" }, ["tr-02"]],
  [{ filter: "feedback.quality = '0.9'" }, ["tr-01"]],
  [{ filter: "feedback.quality = '5'" }, ["tr-05"]],
  [{ filter: "feedback.quality != 'yes'" }, ["tr-02", "tr-01", "tr-05"]],
  [{ filter: "feedback.quality > 0.5" }, ["tr-01", "tr-05"]],
  [{ filter: "feedback.quality >= 5" }, ["tr-05"]],
  [{ filter: "feedback.quality < 1" }, ["tr-01"]],
  [{ filter: "feedback.quality <= 0.2" }, []],
  [{ filter: "feedback.quality LIKE '%.%'" }, ["tr-01"]],
  [{ filter: "feedback.quality IS NULL" }, ["tr-04", "tr-00", "tr-03"]],
  [{ filter: "feedback.quality IS NOT NULL" }, ["tr-02", "tr-07", "tr-01", "tr-05"]],
  [{ filter: "feedback.tone = 'bad'" }, ["tr-03"]],
  [{ filter: "feedback.tone = 'good'" }, ["tr-02"]],
  [{ filter: "feedback.tone RLIKE 'oo'" }, ["tr-02"]],
  [{ filter: "expectation.expected = 'yes'" }, ["tr-01"]],
  [{ filter: "expectation.expected IS NOT NULL" }, ["tr-01", "tr-05"]],
  [{ filter: "feedback.session_quality = 'great'" }, ["tr-04", "tr-01"]],
  [{ filter: "feedback.session_quality IS NOT NULL" }, ["tr-04", "tr-01"]],
  [{ filter: "feedback.session_quality IS NULL" }, ["tr-00", "tr-02", "tr-03", "tr-07", "tr-05"]],
  [{ filter: "feedback.nope IS NULL" }, ["tr-04", "tr-00", "tr-02", "tr-03", "tr-07", "tr-01", "tr-05"]],
  [{ filter: "feedback.quality > 0.5 AND tags.env = 'prod'" }, ["tr-01"]],
  [{ filter: "issue.id = 'iss-1'" }, ["tr-02"]],
  [{ filter: "issue.id = 'none'" }, []],
  [{ filter: "issue.id != 'x'" }, { error: "issue.id comparator '!=' not one of '{'='}'" }],
  [{ filter: "issue.name = 'x'" }, []],
  [
    { filter: "foo = 'x'" },
    {
      error:
        "Invalid attribute key 'foo' specified. Valid keys are '{'text', 'end_time_ms', 'request_id', 'timestamp', 'execution_time', 'status', 'execution_time_ms', 'run_id', 'name', 'end_time', 'prompt', 'timestamp_ms', 'client_request_id'}'",
    },
  ],
  [
    { filter: "metric.x > 1" },
    {
      error:
        "Invalid entity type 'metric'. Valid values are {'metadata', 'attributes', 'span', 'feedback', 'tag', 'attribute', 'issue', 'request_metadata', 'trace', 'expectation', 'tags'}",
    },
  ],
  [{ filter: "(status = 'OK')" }, { error: "Invalid clause(s) in filter string: '(status = 'OK')'" }],
  [{ filter: "status = 'OK' OR status = 'ERROR'" }, { error: "Invalid clause(s) in filter string: 'OR'" }],
  [{ filter: "  " }, { error: "Invalid filter '  '. Could not be parsed." }],
  [{ filter: "tags.env = 5" }, { error: "Expected a quoted string value for tag (e.g. 'my-value'). Got value 5" }],
  [
    { filter: "status = 5" },
    {
      error:
        "Only the '{'end_time_ms', 'end_time', 'timestamp', 'execution_time', 'execution_time_ms', 'timestamp_ms'}' attributes support comparison with numeric values.",
    },
  ],
  [{ order_by: ["timestamp_ms DESC"] }, ["tr-04", "tr-00", "tr-02", "tr-03", "tr-07", "tr-01", "tr-05"]],
  [{ order_by: ["timestamp_ms ASC"] }, ["tr-05", "tr-01", "tr-00", "tr-02", "tr-03", "tr-07", "tr-04"]],
  [{ order_by: ["timestamp"] }, ["tr-05", "tr-01", "tr-00", "tr-02", "tr-03", "tr-07", "tr-04"]],
  [{ order_by: ["execution_time_ms"] }, ["tr-05", "tr-00", "tr-04", "tr-02", "tr-07", "tr-01", "tr-03"]],
  [{ order_by: ["execution_time DESC"] }, ["tr-07", "tr-01", "tr-02", "tr-04", "tr-00", "tr-05", "tr-03"]],
  [{ order_by: ["execution_time_ms DESC"] }, ["tr-07", "tr-01", "tr-02", "tr-04", "tr-00", "tr-05", "tr-03"]],
  [{ order_by: ["status"] }, ["tr-02", "tr-03", "tr-04", "tr-00", "tr-07", "tr-01", "tr-05"]],
  [{ order_by: ["status DESC", "timestamp_ms ASC"] }, ["tr-05", "tr-01", "tr-00", "tr-07", "tr-04", "tr-03", "tr-02"]],
  [{ order_by: ["name"] }, ["tr-05", "tr-00", "tr-04", "tr-01", "tr-02", "tr-07", "tr-03"]],
  [{ order_by: ["name DESC"] }, ["tr-07", "tr-02", "tr-04", "tr-01", "tr-00", "tr-05", "tr-03"]],
  [{ order_by: ["trace.name"] }, ["tr-05", "tr-00", "tr-04", "tr-01", "tr-02", "tr-07", "tr-03"]],
  [{ order_by: ["request_id DESC"] }, ["tr-07", "tr-05", "tr-04", "tr-03", "tr-02", "tr-01", "tr-00"]],
  [{ order_by: ["request_id"] }, ["tr-00", "tr-01", "tr-02", "tr-03", "tr-04", "tr-05", "tr-07"]],
  [{ order_by: ["end_time"] }, { error: "type object 'SqlTraceInfo' has no attribute 'end_time_ms'" }],
  [{ order_by: ["end_time_ms DESC"] }, { error: "type object 'SqlTraceInfo' has no attribute 'end_time_ms'" }],
  [{ order_by: ["experiment_id"] }, ["tr-04", "tr-00", "tr-02", "tr-03", "tr-07", "tr-01", "tr-05"]],
  [{ order_by: ["run_id"] }, ["tr-01", "tr-04", "tr-00", "tr-02", "tr-03", "tr-07", "tr-05"]],
  [{ order_by: ["run_id DESC"] }, ["tr-01", "tr-04", "tr-00", "tr-02", "tr-03", "tr-07", "tr-05"]],
  [{ order_by: ["tags.env"] }, ["tr-04", "tr-02", "tr-03", "tr-01", "tr-00", "tr-07", "tr-05"]],
  [{ order_by: ["tags.env DESC"] }, ["tr-00", "tr-03", "tr-01", "tr-02", "tr-04", "tr-07", "tr-05"]],
  [{ order_by: ["metadata.user"] }, ["tr-01", "tr-05", "tr-02", "tr-04", "tr-00", "tr-03", "tr-07"]],
  [{ order_by: ["metadata.user DESC"] }, ["tr-04", "tr-02", "tr-01", "tr-05", "tr-00", "tr-03", "tr-07"]],
  [{ order_by: ["metadata.`mlflow.trace.session`"] }, ["tr-04", "tr-01", "tr-05", "tr-00", "tr-02", "tr-03", "tr-07"]],
  [
    { order_by: ["metadata.`mlflow.trace.session` DESC"] },
    ["tr-05", "tr-04", "tr-01", "tr-00", "tr-02", "tr-03", "tr-07"],
  ],
  [
    { order_by: ["metadata.`mlflow.trace.tokenUsage`"] },
    {
      error:
        "Ordering by reserved metadata 'mlflow.trace.tokenUsage' is not supported because it is represented by multiple columns.",
    },
  ],
  [{ order_by: ["span.name"] }, { error: "Invalid identifier type 'span'" }],
  [{ order_by: ["feedback.quality"] }, { error: "Invalid identifier type 'feedback'" }],
  [
    { order_by: ["foo"] },
    {
      error:
        "Invalid attribute key 'foo' specified. Valid keys are '{'end_time_ms', 'request_id', 'timestamp', 'execution_time', 'status', 'execution_time_ms', 'run_id', 'name', 'end_time', 'experiment_id', 'timestamp_ms'}'",
    },
  ],
  [{ order_by: ["status", "status"] }, { error: "`order_by` contains duplicate fields: ['status', 'status']" }],
  [
    { order_by: ["status", "trace.status DESC"] },
    { error: "`order_by` contains duplicate fields: ['status', 'trace.status DESC']" },
  ],
  [
    { order_by: ["timestamp_ms", "timestamp DESC"] },
    { error: "`order_by` contains duplicate fields: ['timestamp_ms', 'timestamp DESC']" },
  ],
  [
    { order_by: ["status DESC NULLS LAST"] },
    { error: "Invalid order_by clause 'status DESC NULLS LAST'. Could not be parsed." },
  ],
  [{ order_by: ["status ASC DESC"] }, { error: "Invalid order_by clause 'status ASC DESC'. Could not be parsed." }],
  [{ order_by: ["status ascending"] }, { error: "Invalid ordering key in order_by clause 'status ascending'." }],
  [{ order_by: ["`status`"] }, ["tr-02", "tr-03", "tr-04", "tr-00", "tr-07", "tr-01", "tr-05"]],
  [{ order_by: ["tags.`my key`"] }, ["tr-03", "tr-04", "tr-00", "tr-02", "tr-07", "tr-01", "tr-05"]],
  [
    { order_by: ["client_request_id"] },
    {
      error:
        "Invalid attribute key 'client_request_id' specified. Valid keys are '{'end_time_ms', 'request_id', 'timestamp', 'execution_time', 'status', 'execution_time_ms', 'run_id', 'name', 'end_time', 'experiment_id', 'timestamp_ms'}'",
    },
  ],
  [
    { order_by: ["prompt"] },
    {
      error:
        "Invalid attribute key 'prompt' specified. Valid keys are '{'end_time_ms', 'request_id', 'timestamp', 'execution_time', 'status', 'execution_time_ms', 'run_id', 'name', 'end_time', 'experiment_id', 'timestamp_ms'}'",
    },
  ],
  [{ order_by: ["text"] }, { error: "Invalid order_by clause 'text'. Could not be parsed." }],
  [{ order_by: ["trace.status"] }, ["tr-02", "tr-03", "tr-04", "tr-00", "tr-07", "tr-01", "tr-05"]],
  [
    { order_by: ["attributes.execution_time_ms DESC"] },
    ["tr-07", "tr-01", "tr-02", "tr-04", "tr-00", "tr-05", "tr-03"],
  ],
  [{ order_by: [""] }, { error: "Invalid order_by clause ''. Could not be parsed." }],
  [{ order_by: ["  "] }, { error: "Invalid order_by clause '  '. Could not be parsed." }],
  [{ exp: [1, 2] }, ["tr-06", "tr-04", "tr-00", "tr-02", "tr-03", "tr-07", "tr-01", "tr-05"]],
  [{ exp: [2] }, ["tr-06"]],
  [
    { exp: [1, 2], order_by: ["timestamp_ms"] },
    ["tr-05", "tr-01", "tr-00", "tr-02", "tr-03", "tr-07", "tr-04", "tr-06"],
  ],
  [{ exp: [] }, []],
  [{ exp: ["x"] }, { error: "invalid literal for int() with base 10: 'x'" }],
  [{ exp: ["1.0"] }, { error: "Locations must be a list of experiment IDs. Found invalid experiment IDs: 1.0." }],
  [{ max: 0 }, { error: "Invalid value 0 for parameter 'max_results' supplied. It must be a positive integer" }],
  [{ max: -1 }, { error: "Invalid value -1 for parameter 'max_results' supplied. It must be a positive integer" }],
  [{ max: 50001 }, { error: "Invalid value 50001 for parameter 'max_results' supplied. It must be at most 50000" }],
  [{ max: 50000 }, ["tr-04", "tr-00", "tr-02", "tr-03", "tr-07", "tr-01", "tr-05"]],
  [{ max: 3 }, ["tr-04", "tr-00", "tr-02"]],
  [{ max: 3, token: "eyJvZmZzZXQiOiAzfQ==" }, ["tr-03", "tr-07", "tr-01"]],
  [{ token: "not base64!" }, { error: "Invalid page token, could not base64-decode" }],
  [{ token: "bm90IGpzb24=" }, { error: "Invalid page token, decoded value=b'not json'" }],
  [{ token: "eyJ4IjogMX0=" }, { error: "Invalid page token, parsed value={'x': 1}" }],
  [{ token: "eyJvZmZzZXQiOiAiYSJ9" }, { error: "Invalid page token, not stringable a" }],
  [{ token: "eyJvZmZzZXQiOiAwfQ==" }, { error: "Invalid page token, parsed value={'offset': 0}" }],
  [{ token: "W10=" }, { error: "'list' object has no attribute 'get'" }],
  [{ token: "abc" }, { error: "Invalid page token, could not base64-decode" }],
  [{ token: "e30=" }, { error: "Invalid page token, parsed value={}" }],
  [{ filter: "tags.env IS NOT NULL", order_by: ["name"] }, ["tr-00", "tr-04", "tr-01", "tr-02", "tr-03"]],
  [{ exp: [1, 2], order_by: ["name DESC"] }, ["tr-07", "tr-02", "tr-06", "tr-04", "tr-01", "tr-00", "tr-05", "tr-03"]],
  [{ exp: [1, 2], order_by: ["status"], filter: "tags.env = 'prod'" }, ["tr-03", "tr-06", "tr-01"]],
  [
    { order_by: ["metadata.user", "timestamp_ms ASC"] },
    ["tr-05", "tr-01", "tr-02", "tr-04", "tr-00", "tr-03", "tr-07"],
  ],
  [{ order_by: ["tags.env", "name DESC"] }, ["tr-04", "tr-02", "tr-01", "tr-03", "tr-00", "tr-07", "tr-05"]],
  [{ filter: "run_id = 'RUN' AND tags.env = 'prod'" }, ["tr-03", "tr-01"]],
  [{ filter: "span.type = 'LLM' AND timestamp_ms > 1500" }, ["tr-04", "tr-02"]],
  [{ filter: "span.type = 'LLM' AND timestamp_ms > 20000" }, []],
  [{ filter: "trace.text LIKE '%gpt%' AND status = 'OK'" }, ["tr-04", "tr-01"]],
  [{ filter: "feedback.quality IS NULL AND expectation.expected IS NOT NULL" }, []],
  [{ filter: "feedback.session_quality = 'great' AND metadata.`mlflow.trace.session` = 's1'" }, ["tr-04", "tr-01"]],
  [
    { filter: 'metadata.`mlflow.trace.tokenUsage` = \'{"input_tokens": 10, "output_tokens": 5, "total_tokens": 15}\'' },
    ["tr-04"],
  ],
  [{ filter: 'metadata.`mlflow.trace.tokenUsage` = \'{"input_tokens":10,"output_tokens":5,"total_tokens":15}\'' }, []],
  [{ filter: "metadata.`mlflow.trace.tokenUsage` = '{\"input_tokens\": 1}'" }, ["tr-07"]],
  [{ filter: "metadata.`mlflow.trace.tokenUsage` != '{\"input_tokens\": 1}'" }, ["tr-04"]],
  [{ filter: "metadata.`mlflow.trace.tokenUsage` IS NOT NULL" }, ["tr-04", "tr-07"]],
  [{ filter: "metadata.`mlflow.trace.tokenUsage` IS NULL" }, ["tr-00", "tr-02", "tr-03", "tr-01", "tr-05"]],
  [{ filter: "metadata.`mlflow.trace.tokenUsage` = 'garbage'" }, []],
  [{ order_by: ["execution_time_ms", "status DESC"], max: 4 }, ["tr-05", "tr-00", "tr-04", "tr-02"]],
  [{ order_by: ["name"], max: 2, token: "eyJvZmZzZXQiOiAiMiJ9" }, ["tr-04", "tr-01"]],
  [{ filter: "run_id = 'nope' AND run_id = 'RUN'" }, ["tr-03", "tr-01"]],
  [{ filter: "run_id = 'RUN' AND run_id = 'nope'" }, []],
];
