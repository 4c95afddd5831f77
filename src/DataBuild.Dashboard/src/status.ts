// Status names and colours. A partition's class is the one MermaidFlowchart (Core/Rendering) draws it with, so a
// row and a graph node of the same status look the same (the browser tests compare them); app.css holds the colours.
import { h } from "./dom";

const partitionClasses: Record<string, string> = {
  PARTITION_AVAILABLE: "available",
  PARTITION_STALE: "stale",
  PARTITION_BUILDING: "building",
  PARTITION_DELEGATED: "building",
  PARTITION_FAILED: "failed",
  PARTITION_CANCELLED: "failed",
};

const partitionNames: Record<string, string> = {
  PARTITION_UNKNOWN: "not built",
  PARTITION_REQUESTED: "requested",
  PARTITION_ANALYZED: "planned",
  PARTITION_BUILDING: "building",
  PARTITION_AVAILABLE: "available",
  PARTITION_FAILED: "failed",
  PARTITION_DELEGATED: "delegated",
  PARTITION_STALE: "stale",
  PARTITION_CANCELLED: "cancelled",
};

/** The statuses the partitions page filters by, in the order offered. */
export const partitionStatuses = [
  "PARTITION_AVAILABLE",
  "PARTITION_STALE",
  "PARTITION_BUILDING",
  "PARTITION_FAILED",
  "PARTITION_CANCELLED",
  "PARTITION_DELEGATED",
  "PARTITION_REQUESTED",
  "PARTITION_ANALYZED",
];

export const partitionName = (status: string): string => partitionNames[status] ?? status;

export const partitionClass = (status: string): string => partitionClasses[status] ?? "missing";

const runClasses: Record<string, string> = {
  JOB_SCHEDULED: "missing",
  JOB_RUNNING: "building",
  JOB_COMPLETED: "available",
  JOB_FAILED: "failed",
  JOB_CANCELLED: "failed",
  JOB_MISSING_DEPS: "stale",
};

const requestClasses: Record<string, string> = {
  BUILD_REQUEST_RECEIVED: "building",
  BUILD_REQUEST_PLANNING: "building",
  BUILD_REQUEST_ANALYSIS_COMPLETED: "building",
  BUILD_REQUEST_EXECUTING: "building",
  BUILD_REQUEST_COMPLETED: "available",
  BUILD_REQUEST_FAILED: "failed",
  BUILD_REQUEST_CANCELLED: "failed",
};

const wantClasses: Record<string, string> = {
  active: "building",
  satisfied: "available",
  expired: "missing",
  cancelled: "missing",
  on_time: "available",
  at_risk: "stale",
  missed: "failed",
  none: "missing",
};

/** "JOB_MISSING_DEPS" → "missing deps", "BUILD_REQUEST_ANALYSIS_COMPLETED" → "analysis completed". */
export const enumName = (value: string): string =>
  value.replace(/^(PARTITION|JOB|BUILD_REQUEST|WANT)_/, "").toLowerCase().replaceAll("_", " ");

function badge(text: string, cssClass: string, status: string): HTMLElement {
  return h("span", { class: `badge ${cssClass}`, "data-status": status }, text);
}

export const partitionBadge = (status: string): HTMLElement => badge(partitionName(status), partitionClass(status), status);
export const runBadge = (status: string): HTMLElement => badge(enumName(status), runClasses[status] ?? "missing", status);
export const requestBadge = (status: string): HTMLElement => badge(enumName(status), requestClasses[status] ?? "missing", status);
export const wantBadge = (value: string): HTMLElement => badge(value.replaceAll("_", " "), wantClasses[value] ?? "missing", value);

export const requestEnded = (status: string): boolean =>
  status === "BUILD_REQUEST_COMPLETED" || status === "BUILD_REQUEST_FAILED" || status === "BUILD_REQUEST_CANCELLED";
