// The Mol* side of scripts/bench/render: loaded by molstar-bench.html (written by render.mjs)
// after Mol*'s own viewer bundle. A separate file because the bench serves everything with
// scripts/serve, whose Content-Security-Policy forbids inline scripts (the same headers as
// Foldsight gets).
//
// ?file=URL&format=mmcif|pdb&rep=cartoon|spacefill[&plain=1]. Builds the structure with the plugin's
// builders and forces the representation instead of Mol*'s default preset (which picks
// representations by structure size): cartoon = cartoon of the polymer + ball-and-stick of the
// ligands (what Foldsight shows by default), spacefill = spacefill of every atom. Colours by chain.
// window.benchResult resolves with {firstFrameMs} (performance.now(), i.e. since navigation) once
// the first frame drawn with the whole structure committed to the scene has reached the screen.
(function () {
  var q = new URLSearchParams(location.search);
  var raf = function () { return new Promise(function (r) { requestAnimationFrame(r); }); };
  var phases = {};   // performance.now() at each step, for the JSON output
  var at = function (what) { phases[what] = Math.round(performance.now()); };
  window.benchResult = (async function () {
    at('script');
    var viewer = await molstar.Viewer.create('app', {
      layoutShowControls: false, layoutShowLog: false, layoutShowLeftPanel: false,
      layoutShowSequence: false, viewportShowExpand: false, collapseLeftPanel: true,
      pdbProvider: 'pdbe', emdbProvider: 'pdbe',
    });
    window.benchViewer = viewer;
    at('viewer created');
    // &plain=1 (--molstar-plain): no post-processing (SSAO, antialiasing, bloom) and no
    // multi-sampling, i.e. Mol*'s raw drawing speed rather than its default look.
    if (q.get('plain') === '1') viewer.plugin.canvas3d.setProps({ postprocessing: { enabled: false }, multiSample: { mode: 'off' } });
    var plugin = viewer.plugin, b = plugin.builders.structure;
    var data = await plugin.builders.data.download({ url: q.get('file'), isBinary: false });
    var traj = await b.parseTrajectory(data, q.get('format'));
    var model = await b.createModel(traj);
    var structure = await b.createStructure(model);
    at('structure built');
    if (q.get('rep') === 'spacefill') {
      await b.representation.addRepresentation(structure, { type: 'spacefill', color: 'chain-id' });
    } else {
      var polymer = await b.tryCreateComponentStatic(structure, 'polymer');
      if (polymer) await b.representation.addRepresentation(polymer, { type: 'cartoon', color: 'chain-id' });
      var ligand = await b.tryCreateComponentStatic(structure, 'ligand');
      if (ligand) await b.representation.addRepresentation(ligand, { type: 'ball-and-stick', color: 'element-symbol' });
    }
    // The representations are built; the canvas commits them to the scene in time-sliced
    // steps and draws only when something changed. Wait until nothing is left to commit, then
    // for a draw after that (requestDraw forces one), then one more frame so it is on screen.
    at('representations built');
    var c = plugin.canvas3d;
    while (c.commitQueueSize.value > 0 || c.reprCount.value === 0) await raf();
    await raf();
    while (c.commitQueueSize.value > 0) await raf();
    at('committed');
    var drawn = c.didDraw.value;
    c.requestDraw();
    while (c.didDraw.value === drawn) await raf();
    await raf();
    at('drawn');
    return { firstFrameMs: performance.now(), phases: phases };
  })();
  window.benchResult.catch(function (e) { console.error('bench: ' + (e && e.stack || e)); });
})();
