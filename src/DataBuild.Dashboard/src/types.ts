// The API's JSON (protobuf's JSON mapping of databuild_api.proto and databuild.proto): fields in lowerCamelCase,
// enums by name, timestamps in Unix nanoseconds. Only what the pages read is declared.

export interface ProblemDetails {
  status: number;
  detail: string;
  field?: string;
}

export interface ServiceInfo {
  graphLabel: string;
  lastIndex: number;
  jobs: { label: string; outputs: string[] }[];
  parallelism: number;
}

export interface PartitionRef {
  str: string;
}

export interface DataDep {
  depType: string;
  partitionRef: PartitionRef;
}

export interface PartitionDetail {
  partitionRef: string;
  status: string;
  buildRequestId: string;
  jobRunId: string;
  message: string;
  staleReason: string;
  lastBuiltAt: number;
  failedBuilds: number;
  jobLabel: string;
  upstreams: DataDep[];
  downstreams: string[];
}

export interface ListPartitionsResponse {
  partitions: PartitionDetail[];
  nextPageToken: string;
}

export interface JobRunDetail {
  jobRunId: string;
  jobLabel: string;
  buildRequestId: string;
  status: string;
  targets: string[];
  attempt: number;
  exitCode: number;
  durationMs: number;
  scheduledAt: number;
  startedAt: number;
  finishedAt: number;
  message: string;
  jobVersion: string;
  config?: { args: string[]; inputs: DataDep[] };
  missingDeps: { missing: PartitionRef[] }[];
}

export interface BuildRequestDetail {
  buildRequestId: string;
  status: string;
  requestedPartitions: string[];
  message: string;
  receivedAt: number;
  finishedAt: number;
  jobsCompleted: number;
  jobsFailed: number;
  jobsCancelled: number;
  jobsMissingDeps: number;
  partitionsDelegated: number;
  runningInService: boolean;
  backfillId: string;
  requestedBy: string;
  partitions: PartitionDetail[];
  runs: JobRunDetail[];
}

export interface ListBuildsResponse {
  builds: BuildRequestDetail[];
  nextPageToken: string;
}

export interface BuildGraphNode {
  id: string;
  styleClass: string;
  partitionRef: string;
  partitionStatus: string;
  jobLabel: string;
  jobRunId: string;
  jobStatus: string;
  outputs: string[];
}

export interface BuildGraph {
  buildRequestId: string;
  mermaid: string;
  nodes: BuildGraphNode[];
}

export interface RunLogChunk {
  data: string;
  offset: number;
  nextOffset: number;
  complete: boolean;
}

export interface WantDetail {
  wantId: string;
  state: string;
  sla: string;
  failing: boolean;
  note: string;
  partitions: string[];
  missing: string[];
  parentWantId: string;
  rootWantId: string;
  ttlSeconds: number;
  slaSeconds: number;
  createdAt: number;
  expiresAt: number;
  slaDeadline: number;
  endedAt: number;
  message: string;
  requestedBy: string;
  reason: string;
  buildRequestId: string;
  slaAtRiskAt: number;
}

export interface BuildEvent {
  eventId: string;
  timestamp: number;
  buildRequestId: string;
  buildRequestEvent?: { status: string; requestedPartitions?: PartitionRef[]; message?: string };
  partitionEvent?: { partitionRef: PartitionRef; status: string; message?: string; jobRunId?: string };
  jobEvent?: { jobRunId: string; jobLabel?: { label: string }; targetPartitions?: PartitionRef[]; status: string; message?: string };
  delegationEvent?: { partitionRef: PartitionRef; delegatedToBuildRequestId: string };
  jobGraphEvent?: { jobGraph: { nodes?: unknown[] }; message?: string };
  wantEvent?: { wantId: string; status: string; partitions?: PartitionRef[]; message?: string };
  invalidationEvent?: { partitionRefs?: PartitionRef[]; reason?: string; requestedBy?: string };
  heartbeatEvent?: unknown;
}

export interface StoredEvent {
  index: number;
  event: BuildEvent;
}

export interface EventPage {
  events: StoredEvent[];
  nextSinceIndex: number;
  hasMore: boolean;
}
