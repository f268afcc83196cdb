#include "render/sphere_renderer.h"
#include "embedded_shaders.h"

namespace foldsight {

void sphere_renderer_init(SphereRenderer& r, WGPUDevice device, WGPUTextureFormat color_format) {
  r.device = device;
  WGPUShaderModuleWGSLDescriptor wgsl{};
  wgsl.chain.sType = WGPUSType_ShaderModuleWGSLDescriptor;
  wgsl.source = kShader_spheres;
  WGPUShaderModuleDescriptor smd{};
  smd.nextInChain = &wgsl.chain;
  WGPUShaderModule module = wgpuDeviceCreateShaderModule(device, &smd);

  WGPUVertexAttribute attrs[2] = {};
  attrs[0].format = WGPUVertexFormat_Float32x4;
  attrs[0].offset = 0;
  attrs[0].shaderLocation = 0;
  attrs[1].format = WGPUVertexFormat_Unorm8x4;
  attrs[1].offset = 16;
  attrs[1].shaderLocation = 1;
  WGPUVertexBufferLayout vbl{};
  vbl.arrayStride = sizeof(SphereInstance);
  vbl.stepMode = WGPUVertexStepMode_Instance;
  vbl.attributeCount = 2;
  vbl.attributes = attrs;

  WGPUColorTargetState target{};
  target.format = color_format;
  target.writeMask = WGPUColorWriteMask_All;
  WGPUFragmentState fs{};
  fs.module = module;
  fs.entryPoint = "fs_main";
  fs.targetCount = 1;
  fs.targets = &target;

  WGPUDepthStencilState ds{};
  ds.format = kDepthFormat;
  ds.depthWriteEnabled = true;
  ds.depthCompare = WGPUCompareFunction_Less;
  ds.stencilFront.compare = WGPUCompareFunction_Always;
  ds.stencilBack.compare = WGPUCompareFunction_Always;
  ds.stencilReadMask = 0xffffffff;
  ds.stencilWriteMask = 0xffffffff;

  WGPURenderPipelineDescriptor pd{};
  pd.vertex.module = module;
  pd.vertex.entryPoint = "vs_main";
  pd.vertex.bufferCount = 1;
  pd.vertex.buffers = &vbl;
  pd.primitive.topology = WGPUPrimitiveTopology_TriangleStrip;
  pd.primitive.stripIndexFormat = WGPUIndexFormat_Undefined;
  pd.primitive.frontFace = WGPUFrontFace_CCW;
  pd.primitive.cullMode = WGPUCullMode_None;
  pd.multisample.count = 1;
  pd.multisample.mask = 0xffffffff;
  pd.fragment = &fs;
  pd.depthStencil = &ds;
  r.pipeline = wgpuDeviceCreateRenderPipeline(device, &pd);

  WGPUBufferDescriptor bd{};
  bd.size = (sizeof(FrameUniforms) + 15) / 16 * 16;
  bd.usage = WGPUBufferUsage_Uniform | WGPUBufferUsage_CopyDst;
  r.uniforms = wgpuDeviceCreateBuffer(device, &bd);
  WGPUBindGroupEntry e{};
  e.binding = 0;
  e.buffer = r.uniforms;
  e.size = bd.size;
  WGPUBindGroupDescriptor bgd{};
  bgd.layout = wgpuRenderPipelineGetBindGroupLayout(r.pipeline, 0);
  bgd.entryCount = 1;
  bgd.entries = &e;
  r.bind_group = wgpuDeviceCreateBindGroup(device, &bgd);
}

void sphere_renderer_upload(SphereRenderer& r, const std::vector<SphereInstance>& spheres) {
  size_t bytes = spheres.size() * sizeof(SphereInstance);
  if (bytes > r.instance_capacity || !r.instances) {
    if (r.instances) wgpuBufferDestroy(r.instances), wgpuBufferRelease(r.instances);
    WGPUBufferDescriptor bd{};
    bd.size = bytes < 256 ? 256 : (bytes + 3) / 4 * 4;
    bd.usage = WGPUBufferUsage_Vertex | WGPUBufferUsage_CopyDst;
    r.instances = wgpuDeviceCreateBuffer(r.device, &bd);
    r.instance_capacity = bd.size;
  }
  if (bytes) wgpuQueueWriteBuffer(wgpuDeviceGetQueue(r.device), r.instances, 0, spheres.data(), bytes);
  r.instance_count = uint32_t(spheres.size());
}

void sphere_renderer_set_uniforms(SphereRenderer& r, const FrameUniforms& u) {
  wgpuQueueWriteBuffer(wgpuDeviceGetQueue(r.device), r.uniforms, 0, &u, sizeof(u));
}

void sphere_renderer_draw(const SphereRenderer& r, WGPURenderPassEncoder pass) {
  if (!r.instance_count) return;
  wgpuRenderPassEncoderSetPipeline(pass, r.pipeline);
  wgpuRenderPassEncoderSetBindGroup(pass, 0, r.bind_group, 0, nullptr);
  wgpuRenderPassEncoderSetVertexBuffer(pass, 0, r.instances, 0, r.instance_count * sizeof(SphereInstance));
  wgpuRenderPassEncoderDraw(pass, 4, r.instance_count, 0, 0);
}

}  // namespace foldsight
