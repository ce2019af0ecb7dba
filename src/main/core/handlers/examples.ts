import type { Handlers } from '../../../shared/contract';
import { exampleDetail } from '../store/example-detail';
import { locateExample, queryExamples, queryFacets } from '../store/example-query';
import { labelChoices } from '../store/label-choices';
import type { CoreContext } from './context';

type ExampleChannels = 'examples:query' | 'examples:locate' | 'examples:facets' | 'examples:detail' | 'labels:list';

/** Reading the examples: grid pages, where an example sits in them, facets for the filters, one example's detail, label choices. */
export function exampleHandlers(ctx: CoreContext): Pick<Handlers, ExampleChannels> {
  return {
    'examples:query': (query) => queryExamples(ctx.requireProject().db, query, ctx.counts),
    'examples:locate': ({ target, ...query }) => ({ index: locateExample(ctx.requireProject().db, query, target, ctx.counts) }),
    'examples:facets': () => queryFacets(ctx.requireProject().db),
    'examples:detail': ({ id, run }) => exampleDetail(ctx.requireProject().db, id, run),
    'labels:list': ({ subjType, objType }) => labelChoices(ctx.requireProject().db, subjType, objType),
  };
}
