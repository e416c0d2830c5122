/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fm_cases.h - the engine's table-driven cases, shared by KUnit
 * (fence_model_test.c) and the userspace unit tests (tests/unit/cases.c).
 * Include it from exactly one file per program: it defines fm_cases[].
 *
 * Plain C, no libc. Topologies are written by BDF; every device not in a
 * case's owner list belongs to the host. Each case lists the exact verdicts
 * (kind, dev, at, missing) and the exact ACS bits needed at each node
 * (need[] is reported only where the node's ACS capability has every
 * needed bit: nothing is programmable elsewhere, and the verdict refuses).
 */
#ifndef _P2PFENCE_FM_CASES_H
#define _P2PFENCE_FM_CASES_H

#include "fm_case.h"

/* ---- A: two root ports, a GPU on each ---------------------------------- */
#define A_RP	BDF(0x00, 1, 0)
#define A_GPU	BDF(0x01, 0, 0)
#define B_RP	BDF(0x00, 2, 0)
#define B_GPU	BDF(0x02, 0, 0)
#define TOPO_A(name, rpa, gpua, rpb, gpub) \
	static const struct fmc_node name[] = { HB(BDF(0, 0, 0)), rpa, gpua, rpb, gpub }
#define A_EP	EP(A_GPU, A_RP)
#define B_EP	EP(B_GPU, B_RP)

/* root port A with these flags and ACS words */
#define RPA(f, cap, ctrl)	ND(A_RP, FMC_ROOT, FM_ROOT_PORT, f, cap, ctrl, OWN)
#define CAP_NOUF		(SV | PCI_ACS_TB | RR | CR)
#define A_EP_ATS		ND(A_GPU, A_RP, FM_ENDPOINT, FM_NODE_ATS, 0, 0, OWN)
#define A_RP_GRP7		ND(A_RP, FMC_ROOT, FM_ROOT_PORT, KACS, CAP_ALL, PORT, 7)

TOPO_A(topo_a_on, RP_ON(A_RP), A_EP, RP_ON(B_RP), B_EP);
TOPO_A(topo_a_off, RP_OFF(A_RP), A_EP, RP_ON(B_RP), B_EP);
TOPO_A(topo_a_dt, RPA(KACS, CAP_ALL, PORT | DT), A_EP, RP_ON(B_RP), B_EP);
TOPO_A(topo_a_ec, RPA(KACS, CAP_ALL, PORT | EC), A_EP, RP_ON(B_RP), B_EP);
TOPO_A(topo_a_ecf, RPA(KACS | FM_NODE_EC_FENCE, CAP_ALL, PORT | EC), A_EP, RP_ON(B_RP), B_EP);
TOPO_A(topo_a_part, RPA(FM_NODE_ACS, CAP_ALL, SV | RR), A_EP, RP_ON(B_RP), B_EP);
TOPO_A(topo_a_none, RP_NONE(A_RP), A_EP, RP_ON(B_RP), B_EP);
TOPO_A(topo_a_none2, RP_NONE(A_RP), A_EP, RP_NONE(B_RP), B_EP);
TOPO_A(topo_a_noufcap, RPA(FM_NODE_ACS, CAP_NOUF, SV | RR | CR), A_EP, RP_ON(B_RP), B_EP);
TOPO_A(topo_a_noufcap_k, RPA(KACS, CAP_NOUF, SV | RR | CR), A_EP, RP_ON(B_RP), B_EP);
TOPO_A(topo_a_quirk, RPA(FM_NODE_KISOL, 0, 0), A_EP, RP_ON(B_RP), B_EP);
/* the operator's quirk opt-in (QT) at A_RP's vendor:device */
TOPO_A(topo_a_quirk_t, RPA(FM_NODE_KISOL | QT, 0, 0), A_EP, RP_ON(B_RP), B_EP);
TOPO_A(topo_a_noufcap_t, RPA(KACS | QT, CAP_NOUF, SV | RR | CR), A_EP, RP_ON(B_RP), B_EP);
/* the waiver must hide nothing the port has: TB off below an ATS device, drift */
TOPO_A(topo_a_noufcap_t_ats, RPA(KACS | QT, CAP_NOUF, SV | RR | CR),
       ND(A_GPU, A_RP, FM_ENDPOINT, FM_NODE_ATS, 0, 0, OWN), RP_ON(B_RP), B_EP);
TOPO_A(topo_a_noufcap_t_drift, RPA(KACS | QT, CAP_NOUF | DT, SV | CR | DT), A_EP, RP_ON(B_RP), B_EP);
TOPO_A(topo_a_none_t, RPA(QT, 0, 0), A_EP, RP_ON(B_RP), B_EP);
TOPO_A(topo_a_off_t, RPA(FM_NODE_ACS | QT, CAP_ALL, 0), A_EP, RP_ON(B_RP), B_EP);
TOPO_A(topo_a_ats, RP_ON(A_RP), A_EP_ATS, RP_ON(B_RP), B_EP);
/* ATS: TB already on; TB not in the port's capability; no ACS; ATS enable bit on */
#define TB	PCI_ACS_TB
#define A_EP_ATS_ON	ND(A_GPU, A_RP, FM_ENDPOINT, FM_NODE_ATS | FM_NODE_ATS_ON, 0, 0, OWN)
TOPO_A(topo_a_ats_tb, RPA(KACS, CAP_ALL, PORT | TB), A_EP_ATS, RP_ON(B_RP), B_EP);
TOPO_A(topo_a_ats_notb, RPA(KACS, CAP_ALL & ~TB, PORT), A_EP_ATS, RP_ON(B_RP), B_EP);
TOPO_A(topo_a_ats_none, RP_NONE(A_RP), A_EP_ATS, RP_ON(B_RP), B_EP);
TOPO_A(topo_a_ats_on, RP_ON(A_RP), A_EP_ATS_ON, RP_ON(B_RP), B_EP);
TOPO_A(topo_a_ats_dt, RPA(KACS, CAP_ALL, PORT | DT), A_EP_ATS, RP_ON(B_RP), B_EP);
/* a two-function device with ATS on both functions, ACS RR CR on each */
#define MF_F0	BDF(0x01, 0, 0)
#define MF_F1	BDF(0x01, 0, 1)
#define MF_ATS(id) ND(id, A_RP, FM_ENDPOINT, FM_NODE_MF | FM_NODE_ATS | FM_NODE_ACS, \
		      RR | CR, RR | CR, OWN)
static const struct fmc_node topo_mf_ats[] = {
	HB(BDF(0, 0, 0)), RP_ON(A_RP), MF_ATS(MF_F0), MF_ATS(MF_F1), RP_ON(B_RP), B_EP,
};
/* an RCiEP with ATS: no port to block at */
static const struct fmc_node topo_rc_ats[] = {
	HB(BDF(0, 0, 0)), ND(BDF(0, 4, 0), FMC_ROOT, FM_RC_ENDPOINT, FM_NODE_ATS, 0, 0, OWN),
	RP_ON(B_RP), B_EP,
};
TOPO_A(topo_a_nogrp, RP_ON(A_RP), EPG(A_GPU, A_RP, -1), RP_ON(B_RP), B_EP);
TOPO_A(topo_a_nogrp_off, RP_OFF(A_RP), EPG(A_GPU, A_RP, -1), RP_ON(B_RP), B_EP);
TOPO_A(topo_a_ident, RP_ON(A_RP), EP_IDENT(A_GPU, A_RP, 5), RP_ON(B_RP), B_EP);
TOPO_A(topo_a_shared, RP_ON(A_RP), EPG(A_GPU, A_RP, 7), RP_ON(B_RP), EPG(B_GPU, B_RP, 7));
TOPO_A(topo_a_portgrp, A_RP_GRP7, EPG(A_GPU, A_RP, 7), RP_ON(B_RP), B_EP);
/* junk in the ACS words of a port without the capability must be ignored */
TOPO_A(topo_a_junk, RPA(0, 0xffff, 0x001f), A_EP, RP_ON(B_RP), B_EP);

/* ---- S: a switch with three downstream ports, an NVMe on its own port --- */
#define S_RP	BDF(0x00, 1, 0)
#define S_USP	BDF(0x01, 0, 0)
#define S_D0	BDF(0x02, 0, 0)
#define S_D1	BDF(0x02, 1, 0)
#define S_D2	BDF(0x02, 2, 0)
#define S_E0	BDF(0x03, 0, 0)
#define S_E1	BDF(0x04, 0, 0)
#define S_E2	BDF(0x05, 0, 0)
#define S_RP2	BDF(0x00, 2, 0)
#define S_NVME	BDF(0x06, 0, 0)
#define TOPO_S(name, DSP) \
	static const struct fmc_node name[] = { \
		HB(BDF(0, 0, 0)), RP_ON(S_RP), USP(S_USP, S_RP), \
		DSP(S_D0, S_USP), DSP(S_D1, S_USP), DSP(S_D2, S_USP), \
		EP(S_E0, S_D0), EP(S_E1, S_D1), EP(S_E2, S_D2), \
		RP_ON(S_RP2), EP(S_NVME, S_RP2) }
TOPO_S(topo_s_none, DSP_NONE);
TOPO_S(topo_s_off, DSP_OFF);
TOPO_S(topo_s_on, DSP_ON);
/* GPUDirect: GPUs with ATS behind a switch whose ports have DT on */
#define DSP_DT(id, up)	ND(id, up, FM_SWITCH_DOWN, KACS, CAP_ALL, PORT | DT, OWN)
#define EP_ATS(id, up)	ND(id, up, FM_ENDPOINT, FM_NODE_ATS, 0, 0, OWN)
static const struct fmc_node topo_s_gdr[] = {
	HB(BDF(0, 0, 0)), RP_ON(S_RP), USP(S_USP, S_RP),
	DSP_DT(S_D0, S_USP), DSP_DT(S_D1, S_USP), DSP_DT(S_D2, S_USP),
	EP_ATS(S_E0, S_D0), EP_ATS(S_E1, S_D1), EP(S_E2, S_D2),
	RP_ON(S_RP2), EP(S_NVME, S_RP2) };

/* ---- N: nested switches ----------------------------------------------- */
#define N_RP	BDF(0x00, 1, 0)
#define N_USP1	BDF(0x01, 0, 0)
#define N_D1A	BDF(0x02, 0, 0)
#define N_D1B	BDF(0x02, 1, 0)
#define N_USP2	BDF(0x03, 0, 0)
#define N_D2A	BDF(0x04, 0, 0)
#define N_D2B	BDF(0x04, 1, 0)
#define N_E2A	BDF(0x05, 0, 0)
#define N_E2B	BDF(0x06, 0, 0)
#define N_E1B	BDF(0x07, 0, 0)
#define N_RP2	BDF(0x00, 2, 0)
#define N_E2	BDF(0x08, 0, 0)
#define TOPO_N(name, D1A) \
	static const struct fmc_node name[] = { \
		RP_ON(N_RP), USP(N_USP1, N_RP), D1A(N_D1A, N_USP1), \
		DSP_ON(N_D1B, N_USP1), USP(N_USP2, N_D1A), DSP_NONE(N_D2A, N_USP2), \
		DSP_NONE(N_D2B, N_USP2), EP(N_E2A, N_D2A), EP(N_E2B, N_D2B), \
		EP(N_E1B, N_D1B), RP_ON(N_RP2), EP(N_E2, N_RP2) }
TOPO_N(topo_n_on, DSP_ON);
TOPO_N(topo_n_off, DSP_OFF);

/* ---- M: a two-function device on a root port ---------------------------- */
#define M_RP	BDF(0x00, 1, 0)
#define M_F0	BDF(0x01, 0, 0)
#define M_F1	BDF(0x01, 0, 1)
#define M_RP2	BDF(0x00, 2, 0)
#define M_E2	BDF(0x02, 0, 0)
#define MFN(id, flags, cap, ctrl, g) ND(id, M_RP, FM_ENDPOINT, FM_NODE_MF | (flags), cap, ctrl, g)
#define TOPO_M(name, f0, f1) \
	static const struct fmc_node name[] = { \
		HB(BDF(0, 0, 0)), RP_ON(M_RP), f0, f1, RP_ON(M_RP2), EP(M_E2, M_RP2) }
TOPO_M(topo_m_none, MFN(M_F0, 0, 0, 0, OWN), MFN(M_F1, 0, 0, 0, OWN));
TOPO_M(topo_m_none_grp, MFN(M_F0, 0, 0, 0, 9), MFN(M_F1, 0, 0, 0, 9));
TOPO_M(topo_m_on, MFN(M_F0, KACS, RR | CR, RR | CR, OWN), MFN(M_F1, KACS, RR | CR, RR | CR, OWN));
TOPO_M(topo_m_off, MFN(M_F0, FM_NODE_ACS, RR | CR, 0, 9), MFN(M_F1, FM_NODE_ACS, RR | CR, 0, 9));
TOPO_M(topo_m_quirk, MFN(M_F0, FM_NODE_KISOL, 0, 0, OWN), MFN(M_F1, FM_NODE_KISOL, 0, 0, OWN));
TOPO_M(topo_m_quirk_t, MFN(M_F0, FM_NODE_KISOL | QT, 0, 0, OWN),
       MFN(M_F1, FM_NODE_KISOL | QT, 0, 0, OWN));
TOPO_M(topo_m_nocr, MFN(M_F0, FM_NODE_ACS, RR, RR, OWN), MFN(M_F1, FM_NODE_ACS, RR, RR, OWN));

/* ---- C: a PCIe-to-PCI bridge, conventional devices, a PCI bridge below -- */
#define C_RP	BDF(0x00, 1, 0)
#define C_BR	BDF(0x01, 0, 0)
#define C_E0	BDF(0x02, 0, 0)
#define C_E1	BDF(0x02, 1, 0)
#define C_PB	BDF(0x02, 2, 0)
#define C_F0	BDF(0x03, 0, 0)
#define C_F1	BDF(0x03, 1, 0)
#define C_RP2	BDF(0x00, 2, 0)
#define C_E2	BDF(0x04, 0, 0)
#define TOPO_C(name, g) \
	static const struct fmc_node name[] = { \
		RP_ON(C_RP), ND(C_BR, C_RP, FM_PCIE_PCI_BRIDGE, 0, 0, 0, 50), \
		EPG(C_E0, C_BR, g), EPG(C_E1, C_BR, g), \
		ND(C_PB, C_BR, FM_PCI_BRIDGE, 0, 0, 0, 50), \
		EPG(C_F0, C_PB, g), EPG(C_F1, C_PB, g), RP_ON(C_RP2), EP(C_E2, C_RP2) }
TOPO_C(topo_c, 50);		/* Linux: one group, aliased to the bridge */
TOPO_C(topo_c_split, OWN);	/* groups split (wrong evidence) */

/* ---- R: RC integrated endpoints on two root buses ----------------------- */
#define R_RP	BDF(0x00, 1, 0)
#define R_E	BDF(0x01, 0, 0)
#define R_I0	BDF(0x00, 0x14, 0)
#define R_I1	BDF(0x00, 0x15, 0)
#define R_L0	BDF(0x00, 0x1f, 0)
#define R_L3	BDF(0x00, 0x1f, 3)
#define R_X	BDF(0x80, 0, 0)
static const struct fmc_node topo_r[] = {
	HB(BDF(0, 0, 0)), RP_ON(R_RP), EP(R_E, R_RP), RCIEP(R_I0),
	ND(R_I1, FMC_ROOT, FM_RC_ENDPOINT, KACS, RR | CR, RR | CR, OWN),
	ND(R_L0, FMC_ROOT, FM_RC_ENDPOINT, FM_NODE_MF, 0, 0, 11),
	ND(R_L3, FMC_ROOT, FM_RC_ENDPOINT, FM_NODE_MF, 0, 0, 11),
	RCIEP(R_X),
};

/* ---- D: DGX-like: 8 GPUs + 4 NICs, 4 switches, 2 root complexes --------- */
#define G0	BDF(0x03, 0, 0)
#define G1	BDF(0x04, 0, 0)
#define NIC0	BDF(0x05, 0, 0)
#define G2	BDF(0x12, 0, 0)
#define G3	BDF(0x13, 0, 0)
#define NIC1	BDF(0x14, 0, 0)
#define G4	BDF(0x83, 0, 0)
#define G5	BDF(0x84, 0, 0)
#define NIC2	BDF(0x85, 0, 0)
#define G6	BDF(0x92, 0, 0)
#define G7	BDF(0x93, 0, 0)
#define NIC3	BDF(0x94, 0, 0)
#define D_RP0	BDF(0x00, 1, 0)
#define D_RP1	BDF(0x00, 2, 0)
#define D_RP2	BDF(0x80, 1, 0)
#define D_RP3	BDF(0x80, 2, 0)
#define D_USP0	BDF(0x01, 0, 0)
#define D_USP1	BDF(0x10, 0, 0)
#define D_USP2	BDF(0x81, 0, 0)
#define D_USP3	BDF(0x90, 0, 0)
#define DG0	BDF(0x02, 0, 0)	/* the GPUs' downstream ports */
#define DG1	BDF(0x02, 1, 0)
#define DG2	BDF(0x11, 0, 0)
#define DG3	BDF(0x11, 1, 0)
#define DG4	BDF(0x82, 0, 0)
#define DG5	BDF(0x82, 1, 0)
#define DG6	BDF(0x91, 0, 0)
#define DG7	BDF(0x91, 1, 0)
#define DN0	BDF(0x02, 2, 0)	/* the NICs' downstream ports */
#define DN1	BDF(0x11, 2, 0)
#define DN2	BDF(0x82, 2, 0)
#define DN3	BDF(0x91, 2, 0)
#define TOPO_D(name, DSP) \
	static const struct fmc_node name[] = { \
		HB(BDF(0x00, 0, 0)), \
		RP_ON(D_RP0), USP(D_USP0, D_RP0), \
		DSP(DG0, D_USP0), DSP(DG1, D_USP0), DSP(DN0, D_USP0), \
		EP(G0, DG0), EP(G1, DG1), EP(NIC0, DN0), \
		RP_ON(D_RP1), USP(D_USP1, D_RP1), \
		DSP(DG2, D_USP1), DSP(DG3, D_USP1), DSP(DN1, D_USP1), \
		EP(G2, DG2), EP(G3, DG3), EP(NIC1, DN1), \
		RP_ON(BDF(0x00, 3, 0)), EP(BDF(0x20, 0, 0), BDF(0x00, 3, 0)), \
		HB(BDF(0x80, 0, 0)), \
		RP_ON(D_RP2), USP(D_USP2, D_RP2), \
		DSP(DG4, D_USP2), DSP(DG5, D_USP2), DSP(DN2, D_USP2), \
		EP(G4, DG4), EP(G5, DG5), EP(NIC2, DN2), \
		RP_ON(D_RP3), USP(D_USP3, D_RP3), \
		DSP(DG6, D_USP3), DSP(DG7, D_USP3), DSP(DN3, D_USP3), \
		EP(G6, DG6), EP(G7, DG7), EP(NIC3, DN3) }
TOPO_D(topo_d_on, DSP_ON);
TOPO_D(topo_d_off, DSP_OFF);
TOPO_D(topo_d_none, DSP_NONE);
#define D_ONE_GPU_EACH \
	OWNERS({ G0, 1 }, { G1, 2 }, { G2, 3 }, { G3, 4 }, { G4, 5 }, { G5, 6 }, \
	       { G6, 7 }, { G7, 8 })
#define D_NEED_GPUS \
	NEED({ DG0, PORT }, { DG1, PORT }, { DG2, PORT }, { DG3, PORT }, \
	     { DG4, PORT }, { DG5, PORT }, { DG6, PORT }, { DG7, PORT }, \
	     { D_RP0, PORT }, { D_RP1, PORT }, { D_RP2, PORT }, { D_RP3, PORT })

#define D_NEED_RPS \
	NEED({ D_RP0, PORT }, { D_RP1, PORT }, { D_RP2, PORT }, { D_RP3, PORT })

/*
 * ---- V: an Intel VMD (RCiEP 00:0e.0) with NVMe behind it in domain 10000;
 * a GPU on a root port of domain 0 ---------------------------------------
 * Every node of the VMD domain carries the VMD endpoint's requester id
 * (.dma); the VMD endpoint has ACS RR CR (on) so its own path is clean.
 */
#define V_HB	BDF(0x00, 0, 0)
#define V_RP	BDF(0x00, 1, 0)
#define V_GPU	BDF(0x01, 0, 0)
#define V_VMD	BDF(0x00, 0xe, 0)
#define V_RP1	FM_ID(0x10000, 0x00, (1 << 3))
#define V_N1	FM_ID(0x10000, 0x01, 0)
#define V_RP2	FM_ID(0x10000, 0x00, (2 << 3))
#define V_N2	FM_ID(0x10000, 0x02, 0)
#define NDV(_id, _par, _type, _flags, _cap, _ctrl, _grp, _dma) \
	{ .id = (_id), .parent = (_par), .type = (_type), .flags = (_flags), \
	  .cap = (_cap), .ctrl = (_ctrl), .group = (_grp), .dma = (_dma) }
static const struct fmc_node topo_v[] = {
	HB(V_HB), RP_ON(V_RP), EP(V_GPU, V_RP),
	ND(V_VMD, FMC_ROOT, FM_RC_ENDPOINT, KACS, CAP_ALL, FUNC, OWN),
	NDV(V_RP1, FMC_ROOT, FM_ROOT_PORT, KACS, CAP_ALL, PORT, OWN, V_VMD),
	NDV(V_N1, V_RP1, FM_ENDPOINT, 0, 0, 0, OWN, V_VMD),
	NDV(V_RP2, FMC_ROOT, FM_ROOT_PORT, KACS, CAP_ALL, PORT, OWN, V_VMD),
	NDV(V_N2, V_RP2, FM_ENDPOINT, 0, 0, 0, OWN, V_VMD),
};

/*
 * ---- W: two PCI segments whose numbers share their low 16 bits (0000 and
 * 10000), each a root port with ACS off and a GPU, 10000 also a host NVMe
 * on a second root port -----------------------------------------------------
 */
#define W_RP0	BDF(0x00, 1, 0)
#define W_G0	BDF(0x01, 0, 0)
#define W_RP1	FM_ID(0x10000, 0x00, (1 << 3))
#define W_G1	FM_ID(0x10000, 0x01, 0)
#define W_RP2	FM_ID(0x10000, 0x00, (2 << 3))
#define W_N	FM_ID(0x10000, 0x02, 0)
static const struct fmc_node topo_w[] = {
	HB(BDF(0, 0, 0)), RP_OFF(W_RP0), EP(W_G0, W_RP0),
	HB(FM_ID(0x10000, 0, 0)), RP_OFF(W_RP1), EP(W_G1, W_RP1),
	RP_ON(W_RP2), EP(W_N, W_RP2),
};

static const struct fm_case fm_cases[] = {
	/* A: root ports */
	{ "root port ACS on: tenant GPU beside a host GPU is fenced", TOPO(topo_a_on),
	  OWNERS({ A_GPU, 1 }), NEED({ A_RP, PORT }) },
	{ "root port ACS off: acs-disabled, fixable", TOPO(topo_a_off),
	  OWNERS({ A_GPU, 1 }), VERDICTS(V(ACS_DISABLED, A_GPU, A_RP, PORT)),
	  NEED({ A_RP, PORT }) },
	{ "root port with DT on: acs-disabled DT", TOPO(topo_a_dt),
	  OWNERS({ A_GPU, 1 }), VERDICTS(V(ACS_DISABLED, A_GPU, A_RP, DT)),
	  NEED({ A_RP, PORT }) },
	{ "root port with EC on, not the fence's: acs-disabled EC", TOPO(topo_a_ec),
	  OWNERS({ A_GPU, 1 }), VERDICTS(V(ACS_DISABLED, A_GPU, A_RP, EC)),
	  NEED({ A_RP, PORT }) },
	{ "root port with EC the fence programmed: fenced", TOPO(topo_a_ecf),
	  OWNERS({ A_GPU, 1 }), NEED({ A_RP, PORT }) },
	{ "root port with only SV RR on: acs-disabled CR UF", TOPO(topo_a_part),
	  OWNERS({ A_GPU, 1 }), VERDICTS(V(ACS_DISABLED, A_GPU, A_RP, CR | UF)),
	  NEED({ A_RP, PORT }) },
	{ "root port without ACS: acs-missing", TOPO(topo_a_none),
	  OWNERS({ A_GPU, 1 }), VERDICTS(V(ACS_MISSING, A_GPU, A_RP, PORT)) },
	{ "root port without ACS, junk in its ACS words: acs-missing", TOPO(topo_a_junk),
	  OWNERS({ A_GPU, 1 }), VERDICTS(V(ACS_MISSING, A_GPU, A_RP, PORT)) },
	{ "root port whose ACS lacks UF: acs-missing UF", TOPO(topo_a_noufcap),
	  OWNERS({ A_GPU, 1 }), VERDICTS(V(ACS_MISSING, A_GPU, A_RP, UF)),
	  NEED({ A_RP, SV | RR | CR }) },
	{ "root port lacking UF the kernel calls isolated: acs-faked UF", TOPO(topo_a_noufcap_k),
	  OWNERS({ A_GPU, 1 }), VERDICTS(V(ACS_FAKED, A_GPU, A_RP, UF)),
	  NEED({ A_RP, SV | RR | CR }) },
	{ "root port without ACS isolated by quirk: acs-faked", TOPO(topo_a_quirk),
	  OWNERS({ A_GPU, 1 }), VERDICTS(V(ACS_FAKED, A_GPU, A_RP, PORT)) },
	{ "quirk opt-in: acs-faked at a trusted root port without ACS, waived", TOPO(topo_a_quirk_t),
	  OWNERS({ A_GPU, 1 }), VERDICTS(VT(ACS_FAKED, A_GPU, A_RP, PORT)) },
	{ "quirk opt-in: acs-faked UF (unimplemented) at a trusted root port, waived",
	  TOPO(topo_a_noufcap_t),
	  OWNERS({ A_GPU, 1 }), VERDICTS(VT(ACS_FAKED, A_GPU, A_RP, UF)),
	  NEED({ A_RP, SV | RR | CR }) },
	{ "quirk opt-in: waived UF does not hide TB off at the port of an ATS device",
	  TOPO(topo_a_noufcap_t_ats), OWNERS({ A_GPU, 1 }),
	  VERDICTS(VT(ACS_FAKED, A_GPU, A_RP, UF), V(ACS_DISABLED, A_GPU, A_RP, PCI_ACS_TB)),
	  NEED({ A_RP, SV | RR | CR | PCI_ACS_TB }) },
	{ "quirk opt-in: waived UF does not hide RR cleared and DT set since boot",
	  TOPO(topo_a_noufcap_t_drift), OWNERS({ A_GPU, 1 }),
	  VERDICTS(VT(ACS_FAKED, A_GPU, A_RP, UF), V(ACS_DISABLED, A_GPU, A_RP, RR | DT)),
	  NEED({ A_RP, SV | RR | CR }) },
	{ "quirk opt-in: trusted vendor:device the kernel does not call isolated: acs-missing",
	  TOPO(topo_a_none_t),
	  OWNERS({ A_GPU, 1 }), VERDICTS(V(ACS_MISSING, A_GPU, A_RP, PORT)) },
	{ "quirk opt-in: acs-disabled at a trusted root port is still fixed, not waived",
	  TOPO(topo_a_off_t),
	  OWNERS({ A_GPU, 1 }), VERDICTS(V(ACS_DISABLED, A_GPU, A_RP, PORT)),
	  NEED({ A_RP, PORT }) },
	{ "quirk opt-in: two tenants: B fenced, A's acs-faked waived",
	  TOPO(topo_a_quirk_t),
	  OWNERS({ A_GPU, 1 }, { B_GPU, 2 }), VERDICTS(VT(ACS_FAKED, A_GPU, A_RP, PORT)),
	  NEED({ B_RP, PORT }) },
	{ "one tenant owns every device: nothing to fence", TOPO(topo_a_none2),
	  OWNERS({ A_GPU, 1 }, { B_GPU, 1 }) },
	{ "two tenants on ACS-less root ports: both refused", TOPO(topo_a_none2),
	  OWNERS({ A_GPU, 1 }, { B_GPU, 2 }),
	  VERDICTS(V(ACS_MISSING, A_GPU, A_RP, PORT), V(ACS_MISSING, B_GPU, B_RP, PORT)) },
	{ "no tenant at all: no verdict, no need", TOPO(topo_a_none2) },
	{ "tenant GPU with ATS, TB off at its port: acs-disabled TB", TOPO(topo_a_ats),
	  OWNERS({ A_GPU, 1 }), VERDICTS(V(ACS_DISABLED, A_GPU, A_RP, TB)),
	  NEED({ A_RP, PORT | TB }) },
	{ "tenant GPU with ATS enable bit on: judged the same", TOPO(topo_a_ats_on),
	  OWNERS({ A_GPU, 1 }), VERDICTS(V(ACS_DISABLED, A_GPU, A_RP, TB)),
	  NEED({ A_RP, PORT | TB }) },
	{ "tenant GPU with ATS, TB on at its port: fenced", TOPO(topo_a_ats_tb),
	  OWNERS({ A_GPU, 1 }), NEED({ A_RP, PORT | TB }) },
	{ "tenant GPU with ATS, port cannot block translated: ats-enabled",
	  TOPO(topo_a_ats_notb), OWNERS({ A_GPU, 1 }),
	  VERDICTS(V(ATS_ENABLED, A_GPU, A_RP, TB)), NEED({ A_RP, PORT }) },
	{ "tenant GPU with ATS, port without ACS: acs-missing and ats-enabled",
	  TOPO(topo_a_ats_none), OWNERS({ A_GPU, 1 }),
	  VERDICTS(V(ACS_MISSING, A_GPU, A_RP, PORT), V(ATS_ENABLED, A_GPU, A_RP, TB)) },
	{ "tenant GPU with ATS, DT on at its port: TB and DT in one verdict",
	  TOPO(topo_a_ats_dt), OWNERS({ A_GPU, 1 }),
	  VERDICTS(V(ACS_DISABLED, A_GPU, A_RP, TB | DT)), NEED({ A_RP, PORT | TB }) },
	{ "one tenant owns every device, ATS: TB alone at its port", TOPO(topo_a_ats),
	  OWNERS({ A_GPU, 1 }, { B_GPU, 1 }), VERDICTS(V(ACS_DISABLED, A_GPU, A_RP, TB)),
	  NEED({ A_RP, TB }) },
	{ "one tenant owns every device, ATS, TB on: fenced", TOPO(topo_a_ats_tb),
	  OWNERS({ A_GPU, 1 }, { B_GPU, 1 }), NEED({ A_RP, TB }) },
	{ "one tenant owns every device, ATS, no TB capability: ats-enabled",
	  TOPO(topo_a_ats_notb), OWNERS({ A_GPU, 1 }, { B_GPU, 1 }),
	  VERDICTS(V(ATS_ENABLED, A_GPU, A_RP, TB)) },
	{ "RCiEP with ATS: no port, ats-enabled at itself", TOPO(topo_rc_ats),
	  OWNERS({ BDF(0, 4, 0), 1 }), VERDICTS(V(ATS_ENABLED, BDF(0, 4, 0), BDF(0, 4, 0), TB),
						V(ACS_MISSING, BDF(0, 4, 0), BDF(0, 4, 0), FUNC)) },
	{ "tenant GPU with ATS, policy allows ATS: fenced", TOPO(topo_a_ats),
	  OWNERS({ A_GPU, 1 }), NEED({ A_RP, PORT }), .allow_ats = true },
	{ "tenant GPU with ATS, policy allows ATS, no TB capability: fenced",
	  TOPO(topo_a_ats_notb), OWNERS({ A_GPU, 1 }), NEED({ A_RP, PORT }), .allow_ats = true },
	{ "ATS function beside the host's ATS function: TB would cut the host's, ats-enabled",
	  TOPO(topo_mf_ats), OWNERS({ MF_F1, 1 }),
	  VERDICTS(V(ATS_ENABLED, MF_F1, A_RP, TB)), NEED({ A_RP, PORT }, { MF_F1, FUNC }) },
	{ "ATS function beside a trusted tenant's ATS function: ats-enabled (its opt-in kept)",
	  TOPO(topo_mf_ats), OWNERS({ MF_F0, 2 }, { MF_F1, 1 }),
	  VERDICTS(V(ATS_ENABLED, MF_F1, A_RP, TB)),
	  NEED({ A_RP, PORT }, { MF_F0, FUNC }, { MF_F1, FUNC }), ATS_TENANTS(2) },
	{ "ATS functions of two untrusted tenants: TB at their port serves both",
	  TOPO(topo_mf_ats), OWNERS({ MF_F0, 2 }, { MF_F1, 1 }),
	  VERDICTS(V(ACS_DISABLED, MF_F0, A_RP, TB), V(ACS_DISABLED, MF_F1, A_RP, TB)),
	  NEED({ A_RP, PORT | TB }, { MF_F0, FUNC }, { MF_F1, FUNC }) },
	{ "GPUDirect opt-in for tenant 1: ATS accepted without TB", TOPO(topo_a_ats_notb),
	  OWNERS({ A_GPU, 1 }), NEED({ A_RP, PORT }), ATS_TENANTS(1) },
	{ "GPUDirect opt-in for tenants 2 and 3 only: tenant 1 still ats-enabled",
	  TOPO(topo_a_ats_notb), OWNERS({ A_GPU, 1 }),
	  VERDICTS(V(ATS_ENABLED, A_GPU, A_RP, TB)), NEED({ A_RP, PORT }), ATS_TENANTS(2, 3) },
	{ "GPUDirect: one trusted tenant owns the switch, DT on its ports: allowed",
	  TOPO(topo_s_gdr), OWNERS({ S_E0, 1 }, { S_E1, 1 }, { S_E2, 1 }),
	  NEED({ S_RP, PORT }), ATS_TENANTS(1) },
	{ "GPUDirect not opted in: TB at each ATS GPU's port, DT cleared",
	  TOPO(topo_s_gdr), OWNERS({ S_E0, 1 }, { S_E1, 1 }, { S_E2, 1 }),
	  VERDICTS(V(ACS_DISABLED, S_E0, S_D0, TB | DT), V(ACS_DISABLED, S_E1, S_D1, TB | DT)),
	  NEED({ S_RP, PORT }, { S_D0, TB }, { S_D1, TB }) },
	{ "GPUDirect opt-in, a host device behind the switch: DT refused where it reaches it",
	  TOPO(topo_s_gdr), OWNERS({ S_E0, 1 }, { S_E1, 1 }),
	  VERDICTS(V(ACS_DISABLED, S_E0, S_D0, DT), V(ACS_DISABLED, S_E1, S_D1, DT)),
	  NEED({ S_RP, PORT }, { S_D0, PORT }, { S_D1, PORT }), ATS_TENANTS(1) },
	{ "GPUDirect opt-in for tenant 1, tenant 2 beside it: TB kept on tenant 2's port",
	  TOPO(topo_s_gdr), OWNERS({ S_E0, 1 }, { S_E1, 2 }, { S_E2, 1 }),
	  VERDICTS(V(ACS_DISABLED, S_E0, S_D0, DT), V(ACS_DISABLED, S_E1, S_D1, TB | DT),
		   V(ACS_DISABLED, S_E2, S_D2, DT)),
	  NEED({ S_RP, PORT }, { S_D0, PORT }, { S_D1, PORT | TB }, { S_D2, PORT }),
	  ATS_TENANTS(1) },
	{ "host GPU with ATS: not a source, nothing", TOPO(topo_a_ats),
	  OWNERS({ B_GPU, 1 }), NEED({ B_RP, PORT }) },
	{ "tenant GPU without an IOMMU group: no-iommu", TOPO(topo_a_nogrp),
	  OWNERS({ A_GPU, 1 }), VERDICTS(V(NO_IOMMU, A_GPU, A_GPU, 0)),
	  NEED({ A_RP, PORT }) },
	{ "no-iommu and ACS off on the path: both reported", TOPO(topo_a_nogrp_off),
	  OWNERS({ A_GPU, 1 }),
	  VERDICTS(V(NO_IOMMU, A_GPU, A_GPU, 0), V(ACS_DISABLED, A_GPU, A_RP, PORT)),
	  NEED({ A_RP, PORT }) },
	{ "tenant GPU in an identity domain: identity-domain", TOPO(topo_a_ident),
	  OWNERS({ A_GPU, 1 }), VERDICTS(V(IDENTITY_DOMAIN, A_GPU, A_GPU, 0)),
	  NEED({ A_RP, PORT }) },
	{ "whole host in identity domains, host GPU only: nothing", TOPO(topo_a_on),
	  .identity = true },
	{ "tenant and host GPU in one group (override): shared-iommu-group",
	  TOPO(topo_a_shared), OWNERS({ A_GPU, 1 }),
	  VERDICTS(V(SHARED_IOMMU_GROUP, A_GPU, A_GPU, 0)), NEED({ A_RP, PORT }) },
	{ "two tenants' GPUs in one group: both refused", TOPO(topo_a_shared),
	  OWNERS({ A_GPU, 1 }, { B_GPU, 2 }),
	  VERDICTS(V(SHARED_IOMMU_GROUP, A_GPU, A_GPU, 0),
		   V(SHARED_IOMMU_GROUP, B_GPU, B_GPU, 0)),
	  NEED({ A_RP, PORT }, { B_RP, PORT }) },
	{ "group shared only with its root port: not shared", TOPO(topo_a_portgrp),
	  OWNERS({ A_GPU, 1 }), NEED({ A_RP, PORT }) },

	/* S: one switch */
	{ "same tenant behind an ACS-less switch: allowed", TOPO(topo_s_none),
	  OWNERS({ S_E0, 1 }, { S_E1, 1 }, { S_E2, 1 }), NEED({ S_RP, PORT }) },
	{ "host device beside tenant devices behind an ACS-less switch: refused",
	  TOPO(topo_s_none), OWNERS({ S_E0, 1 }, { S_E1, 1 }),
	  VERDICTS(V(ACS_MISSING, S_E0, S_D0, PORT), V(ACS_MISSING, S_E1, S_D1, PORT)),
	  NEED({ S_RP, PORT }) },
	{ "host device beside tenant devices, switch ACS off: acs-disabled",
	  TOPO(topo_s_off), OWNERS({ S_E0, 1 }, { S_E1, 1 }),
	  VERDICTS(V(ACS_DISABLED, S_E0, S_D0, PORT), V(ACS_DISABLED, S_E1, S_D1, PORT)),
	  NEED({ S_RP, PORT }, { S_D0, PORT }, { S_D1, PORT }) },
	{ "two tenants and the host behind one ACS switch: fenced", TOPO(topo_s_on),
	  OWNERS({ S_E0, 1 }, { S_E1, 2 }),
	  NEED({ S_RP, PORT }, { S_D0, PORT }, { S_D1, PORT }) },
	{ "tenants interleaved behind an ACS-less switch: every port", TOPO(topo_s_none),
	  OWNERS({ S_E0, 1 }, { S_E1, 2 }, { S_E2, 1 }),
	  VERDICTS(V(ACS_MISSING, S_E0, S_D0, PORT), V(ACS_MISSING, S_E1, S_D1, PORT),
		   V(ACS_MISSING, S_E2, S_D2, PORT)),
	  NEED({ S_RP, PORT }) },

	/* N: nested switches */
	{ "nested switch owned by one tenant, ACS above it: allowed", TOPO(topo_n_on),
	  OWNERS({ N_E2A, 1 }, { N_E2B, 1 }), NEED({ N_D1A, PORT }, { N_RP, PORT }) },
	{ "nested ACS-less switch with a host device: refused at the inner port",
	  TOPO(topo_n_on), OWNERS({ N_E2A, 1 }),
	  VERDICTS(V(ACS_MISSING, N_E2A, N_D2A, PORT)),
	  NEED({ N_D1A, PORT }, { N_RP, PORT }) },
	{ "nested switches, tenants split at the outer switch: fenced", TOPO(topo_n_on),
	  OWNERS({ N_E2A, 1 }, { N_E2B, 1 }, { N_E1B, 2 }),
	  NEED({ N_D1A, PORT }, { N_D1B, PORT }, { N_RP, PORT }) },
	{ "nested switches, outer port ACS off: acs-disabled for both", TOPO(topo_n_off),
	  OWNERS({ N_E2A, 1 }, { N_E2B, 1 }),
	  VERDICTS(V(ACS_DISABLED, N_E2A, N_D1A, PORT), V(ACS_DISABLED, N_E2B, N_D1A, PORT)),
	  NEED({ N_D1A, PORT }, { N_RP, PORT }) },

	/* M: multifunction */
	{ "multifunction without ACS, one function a tenant's: multifunction-no-acs",
	  TOPO(topo_m_none), OWNERS({ M_F0, 1 }),
	  VERDICTS(V(MULTIFUNCTION_NO_ACS, M_F0, M_F0, FUNC)),
	  NEED({ M_RP, PORT }) },
	{ "multifunction without ACS in one group: also shared-iommu-group",
	  TOPO(topo_m_none_grp), OWNERS({ M_F0, 1 }),
	  VERDICTS(V(MULTIFUNCTION_NO_ACS, M_F0, M_F0, FUNC),
		   V(SHARED_IOMMU_GROUP, M_F0, M_F0, 0)),
	  NEED({ M_RP, PORT }) },
	{ "multifunction with ACS RR CR on: fenced", TOPO(topo_m_on),
	  OWNERS({ M_F0, 1 }), NEED({ M_F0, FUNC }, { M_RP, PORT }) },
	{ "multifunction with ACS off: acs-disabled RR CR", TOPO(topo_m_off),
	  OWNERS({ M_F1, 1 }, { M_F0, 2 }),
	  VERDICTS(V(ACS_DISABLED, M_F0, M_F0, FUNC), V(ACS_DISABLED, M_F1, M_F1, FUNC),
		   V(SHARED_IOMMU_GROUP, M_F0, M_F0, 0), V(SHARED_IOMMU_GROUP, M_F1, M_F1, 0)),
	  NEED({ M_F0, FUNC }, { M_F1, FUNC }, { M_RP, PORT }) },
	{ "multifunction, both functions one tenant's: allowed", TOPO(topo_m_none_grp),
	  OWNERS({ M_F0, 1 }, { M_F1, 1 }), NEED({ M_RP, PORT }) },
	{ "multifunction, functions of two tenants, no ACS: both refused", TOPO(topo_m_none),
	  OWNERS({ M_F0, 1 }, { M_F1, 2 }),
	  VERDICTS(V(MULTIFUNCTION_NO_ACS, M_F0, M_F0, FUNC),
		   V(MULTIFUNCTION_NO_ACS, M_F1, M_F1, FUNC)),
	  NEED({ M_RP, PORT }) },
	{ "multifunction without ACS the kernel calls isolated: acs-faked", TOPO(topo_m_quirk),
	  OWNERS({ M_F0, 1 }), VERDICTS(V(ACS_FAKED, M_F0, M_F0, FUNC)),
	  NEED({ M_RP, PORT }) },
	{ "quirk opt-in: multifunction the kernel calls isolated, trusted: waived",
	  TOPO(topo_m_quirk_t),
	  OWNERS({ M_F0, 1 }), VERDICTS(VT(ACS_FAKED, M_F0, M_F0, FUNC)),
	  NEED({ M_RP, PORT }) },
	{ "multifunction whose ACS lacks CR: acs-missing CR", TOPO(topo_m_nocr),
	  OWNERS({ M_F0, 1 }), VERDICTS(V(ACS_MISSING, M_F0, M_F0, CR)),
	  NEED({ M_RP, PORT }, { M_F0, RR }) },

	/* C: conventional bridges */
	{ "conventional devices of a tenant and the host: conventional-bridge",
	  TOPO(topo_c), OWNERS({ C_E0, 1 }),
	  VERDICTS(V(CONVENTIONAL_BRIDGE, C_E0, C_BR, 0),
		   V(SHARED_IOMMU_GROUP, C_E0, C_E0, 0)),
	  NEED({ C_RP, PORT }) },
	{ "conventional devices, groups split (wrong evidence): conventional-bridge",
	  TOPO(topo_c_split), OWNERS({ C_E0, 1 }),
	  VERDICTS(V(CONVENTIONAL_BRIDGE, C_E0, C_BR, 0)), NEED({ C_RP, PORT }) },
	{ "everything below a PCIe-to-PCI bridge one tenant's: allowed", TOPO(topo_c),
	  OWNERS({ C_E0, 1 }, { C_E1, 1 }, { C_F0, 1 }, { C_F1, 1 }),
	  NEED({ C_RP, PORT }) },
	{ "tenant below a nested PCI bridge: conventional-bridge at the outer bridge",
	  TOPO(topo_c_split), OWNERS({ C_F0, 1 }, { C_F1, 1 }),
	  VERDICTS(V(CONVENTIONAL_BRIDGE, C_F0, C_BR, 0), V(CONVENTIONAL_BRIDGE, C_F1, C_BR, 0)),
	  NEED({ C_RP, PORT }) },
	{ "tenant and host below a nested PCI bridge: both bridges", TOPO(topo_c_split),
	  OWNERS({ C_F0, 1 }),
	  VERDICTS(V(CONVENTIONAL_BRIDGE, C_F0, C_PB, 0), V(CONVENTIONAL_BRIDGE, C_F0, C_BR, 0)),
	  NEED({ C_RP, PORT }) },

	/* R: RC integrated endpoints */
	{ "RC integrated endpoint without ACS: acs-missing RR CR", TOPO(topo_r),
	  OWNERS({ R_I0, 1 }), VERDICTS(V(ACS_MISSING, R_I0, R_I0, FUNC)) },
	{ "RC integrated endpoint with ACS RR CR: fenced", TOPO(topo_r),
	  OWNERS({ R_I1, 1 }), NEED({ R_I1, FUNC }) },
	{ "GPU on a root port beside host RCiEPs: the root port fences", TOPO(topo_r),
	  OWNERS({ R_E, 1 }), NEED({ R_RP, PORT }) },
	{ "RCiEP alone on its root bus: nothing to turn to", TOPO(topo_r),
	  OWNERS({ R_X, 1 }) },
	{ "multifunction RCiEP without ACS: multifunction-no-acs", TOPO(topo_r),
	  OWNERS({ R_L3, 1 }),
	  VERDICTS(V(MULTIFUNCTION_NO_ACS, R_L3, R_L3, FUNC),
		   V(SHARED_IOMMU_GROUP, R_L3, R_L3, 0)) },

	/* D: DGX-like host */
	{ "DGX: one tenant owns all GPUs and NICs: fenced from the host NVMe",
	  TOPO(topo_d_on),
	  OWNERS({ G0, 1 }, { G1, 1 }, { G2, 1 }, { G3, 1 }, { G4, 1 }, { G5, 1 },
		 { G6, 1 }, { G7, 1 }, { NIC0, 1 }, { NIC1, 1 }, { NIC2, 1 }, { NIC3, 1 }),
	  NEED({ D_RP0, PORT }, { D_RP1, PORT }) },
	{ "DGX: one GPU per tenant, NICs host, ACS on: fenced", TOPO(topo_d_on),
	  D_ONE_GPU_EACH, D_NEED_GPUS },
	{ "DGX: one GPU per tenant, switch ACS off: 8 x acs-disabled", TOPO(topo_d_off),
	  D_ONE_GPU_EACH,
	  VERDICTS(V(ACS_DISABLED, G0, DG0, PORT), V(ACS_DISABLED, G1, DG1, PORT),
		   V(ACS_DISABLED, G2, DG2, PORT), V(ACS_DISABLED, G3, DG3, PORT),
		   V(ACS_DISABLED, G4, DG4, PORT), V(ACS_DISABLED, G5, DG5, PORT),
		   V(ACS_DISABLED, G6, DG6, PORT), V(ACS_DISABLED, G7, DG7, PORT)),
	  D_NEED_GPUS },
	{ "DGX: one GPU per tenant, switches without ACS: 8 x acs-missing",
	  TOPO(topo_d_none), D_ONE_GPU_EACH,
	  VERDICTS(V(ACS_MISSING, G0, DG0, PORT), V(ACS_MISSING, G1, DG1, PORT),
		   V(ACS_MISSING, G2, DG2, PORT), V(ACS_MISSING, G3, DG3, PORT),
		   V(ACS_MISSING, G4, DG4, PORT), V(ACS_MISSING, G5, DG5, PORT),
		   V(ACS_MISSING, G6, DG6, PORT), V(ACS_MISSING, G7, DG7, PORT)),
	  D_NEED_RPS },
	{ "DGX: GPU pairs per tenant, NICs host, no switch ACS: refused at each GPU port",
	  TOPO(topo_d_none),
	  OWNERS({ G0, 1 }, { G1, 1 }, { G2, 2 }, { G3, 2 }, { G4, 3 }, { G5, 3 },
		 { G6, 4 }, { G7, 4 }),
	  VERDICTS(V(ACS_MISSING, G0, DG0, PORT), V(ACS_MISSING, G1, DG1, PORT),
		   V(ACS_MISSING, G2, DG2, PORT), V(ACS_MISSING, G3, DG3, PORT),
		   V(ACS_MISSING, G4, DG4, PORT), V(ACS_MISSING, G5, DG5, PORT),
		   V(ACS_MISSING, G6, DG6, PORT), V(ACS_MISSING, G7, DG7, PORT)),
	  D_NEED_RPS },
	{ "DGX: a whole switch (2 GPUs + NIC) per tenant, no switch ACS: allowed",
	  TOPO(topo_d_none),
	  OWNERS({ G0, 1 }, { G1, 1 }, { NIC0, 1 }, { G2, 2 }, { G3, 2 }, { NIC1, 2 },
		 { G4, 3 }, { G5, 3 }, { NIC2, 3 }, { G6, 4 }, { G7, 4 }, { NIC3, 4 }),
	  NEED({ D_RP0, PORT }, { D_RP1, PORT }, { D_RP2, PORT }, { D_RP3, PORT }) },
	{ "DGX: one tenant per root complex: fenced at the NVMe's root bus only",
	  TOPO(topo_d_none),
	  OWNERS({ G0, 1 }, { G1, 1 }, { NIC0, 1 }, { G2, 1 }, { G3, 1 }, { NIC1, 1 },
		 { G4, 2 }, { G5, 2 }, { NIC2, 2 }, { G6, 2 }, { G7, 2 }, { NIC3, 2 }),
	  NEED({ D_RP0, PORT }, { D_RP1, PORT }) },
	{ "DGX: two tenants interleaved across switches, ACS on: fenced", TOPO(topo_d_on),
	  OWNERS({ G0, 1 }, { G1, 2 }, { G2, 1 }, { G3, 2 }, { G4, 1 }, { G5, 2 },
		 { G6, 1 }, { G7, 2 }),
	  D_NEED_GPUS },
	{ "DGX: a NIC given to a tenant, ACS off: only the NIC's port", TOPO(topo_d_off),
	  OWNERS({ NIC1, 5 }),
	  VERDICTS(V(ACS_DISABLED, NIC1, DN1, PORT)),
	  NEED({ DN1, PORT }, { D_RP1, PORT }) },
	/* V: a VMD and the devices behind it: one requester id, one unit */
	{ "VMD: the VMD endpoint and both NVMe behind it to one tenant: allowed",
	  TOPO(topo_v), OWNERS({ V_VMD, 1 }, { V_N1, 1 }, { V_N2, 1 }),
	  NEED({ V_VMD, FUNC }) },
	{ "VMD: an NVMe behind a host-owned VMD: shared-iommu-group", TOPO(topo_v),
	  OWNERS({ V_N1, 1 }), VERDICTS(V(SHARED_IOMMU_GROUP, V_N1, V_N1, 0)),
	  NEED({ V_RP1, PORT }) },
	{ "VMD: the two NVMe behind one VMD to two tenants: all three refused",
	  TOPO(topo_v), OWNERS({ V_VMD, 1 }, { V_N1, 1 }, { V_N2, 2 }),
	  VERDICTS(V(SHARED_IOMMU_GROUP, V_VMD, V_VMD, 0),
		   V(SHARED_IOMMU_GROUP, V_N1, V_N1, 0),
		   V(SHARED_IOMMU_GROUP, V_N2, V_N2, 0)),
	  NEED({ V_VMD, FUNC }, { V_RP1, PORT }, { V_RP2, PORT }) },
	{ "VMD: the VMD endpoint to a tenant, its NVMe the host's: refused",
	  TOPO(topo_v), OWNERS({ V_VMD, 1 }),
	  VERDICTS(V(SHARED_IOMMU_GROUP, V_VMD, V_VMD, 0)), NEED({ V_VMD, FUNC }) },
	{ "VMD: a GPU of domain 0 to a tenant beside a host VMD: fenced at its port",
	  TOPO(topo_v), OWNERS({ V_GPU, 1 }), NEED({ V_RP, PORT }) },

	/* W: domains 0000 and 10000 are two root complexes, not one */
	{ "domains 0000 and 10000: a tenant GPU in each, ACS off: only 10000's host neighbour",
	  TOPO(topo_w), OWNERS({ W_G0, 1 }, { W_G1, 2 }),
	  VERDICTS(V(ACS_DISABLED, W_G1, W_RP1, PORT)), NEED({ W_RP1, PORT }) },
	{ "domains 0000 and 10000: the two GPUs to two tenants, NVMe one's too: fenced apart",
	  TOPO(topo_w), OWNERS({ W_G0, 1 }, { W_G1, 2 }, { W_N, 2 }) },
};

#endif /* _P2PFENCE_FM_CASES_H */
