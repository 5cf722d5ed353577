/**
 * VICIdial non-agent API `in_group_status` (docs/operators/vendors/vicidial.md): `user` and
 * `pass` in the query, `source` required, text answers labelled text/html as PHP does by default
 * [assumed], a CSV header plus one line with `stage=csv&header=YES`, and errors as HTTP 200
 * `ERROR:` lines. A bad login's line echoes the user and password [assumed], so a gate that ever
 * passed the body on would leak them: the leak test would see it.
 */
import { type SimResponse, type SimulatorOptions, type VendorSimulator, startSimulator } from './simulator';

export interface VicidialSimulatorOptions extends SimulatorOptions {
  apiUser: string;
  apiPass: string;
}

const contentType = 'text/html; charset=UTF-8';
const header = 'ingroups,total_calls,calls_waiting,agents_logged_in,agents_in_calls,agents_waiting,agents_paused,agents_in_dispo,agents_in_dial';
const text = (body: string): SimResponse => ({ status: 200, text: `${body}\n`, contentType });

export function startVicidialSimulator(options: VicidialSimulatorOptions): Promise<VendorSimulator> {
  return startSimulator(
    {
      vendor: 'vicidial',
      handle({ method, url }, simulator) {
        if (method !== 'GET' || url.pathname !== '/vicidial/non_agent_api.php') return undefined;
        const query = url.searchParams;
        const user = query.get('user') ?? '';
        const pass = query.get('pass') ?? '';
        if (user !== options.apiUser || pass !== options.apiPass) return text(`ERROR: Invalid Username/Password: |${user}|${pass}|BAD|`);
        if (!query.get('source')) return text('ERROR: NO SOURCE DEFINED');
        if (query.get('function') !== 'in_group_status') return text('ERROR: NO FUNCTION SPECIFIED');
        const groups = query.get('in_groups') ?? '';
        if (!/^[A-Za-z0-9_|-]+$/.test(groups)) return text('ERROR: in_group_status INVALID SEARCH PARAMETERS - 6666||');
        // Every in-group exists and holds every simulated agent (an unknown group would answer zeros [assumed]).
        const count = (status: string) => simulator.agents.filter((agent) => agent.status === status).length;
        const [waiting, inCalls, paused, offline] = [count('available'), count('busy'), count('away'), count('offline')];
        const loggedIn = simulator.agents.length - offline;
        const line = [groups.split('|').join(' '), inCalls, 0, loggedIn, inCalls, waiting, paused, 0, 0].join(',');
        return query.get('header') === 'YES' ? text(`${header}\n${line}`) : text(line);
      },
      // The web server's own pages, not the API's: HTML.
      failure: {
        '401': () => ({ status: 401, text: '<html><body><h1>401 Unauthorized</h1></body></html>', contentType }),
        '403': () => text('ERROR: in_group_status USER DOES NOT HAVE PERMISSION TO GET IN-GROUP INFO - 6666|0'),
      },
    },
    options,
  );
}
