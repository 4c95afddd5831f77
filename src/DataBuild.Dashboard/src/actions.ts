// Actions pages offer: build partitions (optionally forced) and report where the build went; invalidate partitions.
import { post } from "./api";
import { errorText, h, link } from "./dom";
import { buildHref } from "./page";

/** Invalidates partitions (docs/service.md) and says which in `say`; the page sees them turn STALE by the events. */
export async function invalidate(partitions: string[], reason: string, say: (content: Node | string, error?: boolean) => void): Promise<boolean> {
  try {
    const { invalidated } = await post<{ invalidated?: string[] }>("/api/v1/partitions:invalidate", { partitions, reason });
    const refs = invalidated ?? [];
    say(`Invalidated ${refs.length === 1 ? refs[0] : `${refs.length} partitions`}: the next build rebuilds ${refs.length === 1 ? "it" : "them"}.`);
    return true;
  } catch (e) {
    say(`Could not invalidate: ${errorText(e)}`, true);
    return false;
  }
}

/** Submits a build and says so in `say` with a link to it. */
export async function submitBuild(partitions: string[], force: boolean, say: (content: Node | string, error?: boolean) => void): Promise<string | null> {
  try {
    const { buildRequestId } = await post<{ buildRequestId: string }>("/api/v1/builds", { partitions, force });
    const words = h("span", {}, `${force ? "Forced build" : "Build"} of ${partitions.length === 1 ? partitions[0] : `${partitions.length} partitions`} submitted: `,
      link(buildHref(buildRequestId), `build request ${buildRequestId.slice(0, 8)}`, { "data-build-request": buildRequestId }));
    say(words);
    return buildRequestId;
  } catch (e) {
    say(`Could not build: ${errorText(e)}`, true);
    return null;
  }
}
